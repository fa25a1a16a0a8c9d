// The action contract lives with the actions (src/actions/plan.ts): re-exported for the UI.
export type {
  ActionController,
  ActionOutcome,
  ActionPlan,
  BackgroundTask,
  Planned,
  PlannedActionId,
  Selection,
  ValuePrompt,
} from "../actions/plan.js";
