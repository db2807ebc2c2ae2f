/** The demo people of the stage's workspace, as the playground's switcher offers them. */
import { USERS } from "../stage.js";

export interface Person {
  id: string;
  name: string;
  /** What this person is in the story (shown in the switcher). */
  role: string;
  /** Avatar colour. */
  color: string;
}

export const PEOPLE: readonly Person[] = [
  { id: USERS.requester, name: "Alice", role: "SRE, files requests (en-US)", color: "#2eb67d" },
  { id: USERS.approver, name: "Bob", role: "approver", color: "#1264a3" },
  { id: USERS.jaRequester, name: "Kenji", role: "DBA, Japanese (ja-JP)", color: "#e8912d" },
  { id: USERS.approver2, name: "Carol", role: "approver", color: "#9b59b6" },
  { id: USERS.groupApprover, name: "Dana", role: "in the DBA group, approves", color: "#16a085" },
  { id: USERS.outsider, name: "Mallory", role: "may not approve", color: "#e01e5a" },
];

/** User group handles (`<!subteam^S…>`), which the emulator's groups do not carry. */
export const GROUP_HANDLES: Readonly<Record<string, string>> = { S0DBAS: "dbas" };

export function personById(id: string): Person | undefined {
  return PEOPLE.find((p) => p.id === id);
}
