/**
 * Stable keys of the snapshot's entries, in one place: the rates, the cursor, the folded backends
 * and the events all find an entry by its key, so every part must build it the same way. Names are
 * HAProxy's own; "/" may appear in a name, so a key is only ever built from names and compared,
 * never split back into them.
 */

/** The kind of entry a key names (its prefix). */
export type EntryKind = "frontend" | "backend" | "server" | "listener";

const PREFIX: Record<EntryKind, string> = { frontend: "fe/", backend: "be/", server: "sv/", listener: "li/" };

/** `fe/<frontend>` */
export const frontendKey = (name: string): string => `${PREFIX.frontend}${name}`;
/** `be/<backend>` */
export const backendKey = (name: string): string => `${PREFIX.backend}${name}`;
/** `sv/<backend>/<server>` */
export const serverKey = (backend: string, server: string): string => `${PREFIX.server}${backend}/${server}`;
/** `li/<proxy>/<listener>` */
export const listenerKey = (proxy: string, listener: string): string =>
  `${PREFIX.listener}${proxy}/${listener}`;

/** The kind of entry a key names, or null when it is not an entry key. */
export function keyKind(key: string): EntryKind | null {
  for (const kind of Object.keys(PREFIX) as EntryKind[]) if (key.startsWith(PREFIX[kind])) return kind;
  return null;
}
