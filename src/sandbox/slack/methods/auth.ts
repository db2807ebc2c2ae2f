/** `auth.test`: who the token belongs to (Bolt calls it at start-up). */
import type { MethodTable } from "../wire.js";
import type { Workspace } from "../workspace.js";

export function authMethods(ws: Workspace): MethodTable {
  return {
    "auth.test": () => ({
      ok: true,
      url: `https://${ws.teamDomain}.slack.com/`,
      team: ws.teamName,
      user: ws.botName,
      team_id: ws.teamId,
      user_id: ws.botUserId,
      bot_id: ws.botId,
      is_enterprise_install: false,
    }),
  };
}
