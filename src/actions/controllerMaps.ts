import { performance } from "node:perf_hooks";
import { formatError } from "../client/errors.js";
import { request } from "../client/socket.js";
import type { Target } from "../client/target.js";
import {
  buildMapChange,
  type MapBuilt,
  type MapChange,
  MapInputError,
  verifyMapChange,
} from "./mapCommands.js";
import type {
  ActionOutcome,
  ActionPlan,
  MapRef,
  Planned,
  PlannedActionId,
  Selection,
  ValuePrompt,
} from "./plan.js";
import { checkAllowed } from "./policy.js";
import {
  type ActionOptions,
  type ActionResult,
  accepted,
  elapsed,
  firstLines,
  refusedResult,
  requestOpts,
} from "./runBuilt.js";

/** What the map plans need of the controller. */
export interface MapPlanContext {
  target: Target;
  actionOpts: () => ActionOptions;
  /** Runs an action, records it in the timeline, and words the outcome. */
  record: (work: () => Promise<ActionResult>) => Promise<ActionOutcome>;
}

type MapPlanId = Extract<PlannedActionId, "map-add" | "map-del" | "map-set">;

/** A runtime change lives in HAProxy's memory only: said in every dialog. */
const MEMORY_ONLY = "changes HAProxy's memory only: the file on disk is not written, a reload reloads it";

const label = (map: MapRef) => `${map.type} #${map.id}${map.file ? ` (${map.file})` : ""}`;

/**
 * Runs one change after the local checks: the entries read first (an add, to tell the new entry
 * from an identical old one), the change, then the entries read back. Three requests, not one: a
 * map of a million entries is a 32 MB reply, and one too large to read must not turn a change that
 * was accepted into an error. ok only when HAProxy accepted the change AND the read-back shows it.
 */
export async function runMapChange(
  target: Target,
  change: MapChange,
  built: MapBuilt,
  opts: ActionOptions,
): Promise<ActionResult> {
  const t0 = performance.now();
  const denied = checkAllowed(built.action, opts.level, opts.readOnly);
  if (denied) return refusedResult(built.action, denied.refusal, denied.message, t0);
  const ro = requestOpts(opts);
  const read = async (lines: string[]) => {
    if (lines.length === 0) return { text: undefined, error: null };
    try {
      return { text: (await request(target, lines, ro)).at(-1), error: null };
    } catch (e) {
      return { text: undefined, error: formatError(e) };
    }
  };
  const before = await read(built.before);
  const [reply = ""] = await request(target, built.commands, ro);
  const done = (ok: boolean, message: string): ActionResult => ({
    action: built.action,
    commands: [...built.before, ...built.commands, ...built.verify],
    reply,
    ok,
    message: `${built.commands[0]}: ${message}`,
    durationMs: elapsed(t0),
  });
  if (!accepted(reply)) return done(false, firstLines(reply) || "(no reply)");
  const after = await read(built.verify);
  if (after.error !== null) return done(false, `accepted, but not verified: ${after.error}`);
  const v = verifyMapChange(change, before.text, after.text);
  return done(v.ok, v.message);
}

/** The plans of the maps and ACLs view. */
export function mapPlanners(ctx: MapPlanContext): Record<MapPlanId, (sel: Selection) => Promise<Planned>> {
  const { target, actionOpts, record } = ctx;

  /** The confirmation of one change: its exact command, then run and verified. */
  const confirmPlan = (title: string, change: MapChange, notes: string[], tone: ActionPlan["tone"]) => {
    const built = buildMapChange(change);
    return {
      title,
      notes: [...notes, MEMORY_ONLY, "the entries are read back afterwards to verify the change"],
      commands: built.commands,
      tone,
      run: () => record(() => runMapChange(target, change, built, actionOpts())),
    } satisfies ActionPlan;
  };

  /** A plan from typed input, or the reason it cannot be sent (shown under the input). */
  const tryPlan = (make: () => ActionPlan): ActionPlan | { error: string } => {
    try {
      return make();
    } catch (e) {
      return { error: e instanceof MapInputError ? e.message : formatError(e) };
    }
  };

  const add = async (sel: Selection): Promise<Planned> => {
    const map = sel.kind === "map" || sel.kind === "map-entry" ? sel.map : null;
    if (!map) return { error: "select a map or an ACL first (view 7)" };
    const prompt: ValuePrompt = {
      title: `Add an entry to ${label(map)}`,
      label:
        map.type === "map"
          ? "key, a space, then the value (e.g. 10.0.0.1 blocked)"
          : "pattern (e.g. 10.0.0.0/24)",
      current: "",
      submit: async (typed) => {
        const text = typed.replace(/^ +| +$/g, "");
        if (text === "") return { error: "type an entry, or Esc to cancel" };
        if (map.type === "acl") {
          return tryPlan(() =>
            confirmPlan(
              `Add ${text} to ${label(map)}`,
              { kind: "add", map, key: text, value: null },
              [],
              "accent",
            ),
          );
        }
        const sp = text.indexOf(" ");
        if (sp < 0) return { error: "type the key, a space, then the value" };
        const key = text.slice(0, sp);
        const value = text.slice(sp + 1).replace(/^ +/, "");
        return tryPlan(() =>
          confirmPlan(
            `Add ${key} → ${value} to ${label(map)}`,
            { kind: "add", map, key, value },
            [],
            "accent",
          ),
        );
      },
    };
    return prompt;
  };

  const del = async (sel: Selection): Promise<Planned> => {
    if (sel.kind !== "map-entry")
      return { error: "select an entry first (Enter on a map opens its entries)" };
    const { map, entryId, key } = sel;
    return tryPlan(() =>
      confirmPlan(
        `Delete ${key} from ${label(map)}`,
        { kind: "del", map, ref: entryId, key },
        [`deletes exactly this entry (reference ${entryId}); other entries with the same key stay`],
        "warn",
      ),
    );
  };

  const set = async (sel: Selection): Promise<Planned> => {
    if (sel.kind !== "map-entry")
      return { error: "select an entry first (Enter on a map opens its entries)" };
    const { map, entryId, key, value } = sel;
    if (map.type !== "map") return { error: "an ACL pattern has no value: delete it and add another" };
    return {
      title: `Value of ${key} in ${label(map)}`,
      label: "new value",
      current: value ?? "",
      submit: async (typed) => {
        const next = typed.replace(/^ +| +$/g, "");
        if (next === "") return { error: "type a value, or Esc to cancel" };
        return tryPlan(() =>
          confirmPlan(
            `Set ${key} → ${next} in ${label(map)}`,
            { kind: "set", map, ref: entryId, key, value: next },
            [`changes exactly this entry (reference ${entryId}), was ${JSON.stringify(value ?? "")}`],
            "accent",
          ),
        );
      },
    };
  };

  return { "map-add": add, "map-del": del, "map-set": set };
}
