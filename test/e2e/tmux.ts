/** The tmux terminal driver lives in the one lab (lab/tmux.ts), shared with the bench and scripts. */
export * from "../../lab/tmux.js";
