/** `users.info` and `usergroups.users.list`: who someone is, and who is in a user group. */
import { type ApiAnswer, type Args, bool, fail, type MethodTable, str } from "../wire.js";
import type { Workspace } from "../workspace.js";

export function usersMethods(ws: Workspace): MethodTable {
  return {
    "users.info": (a) => usersInfo(ws, a),
    "usergroups.users.list": (a) => usergroupsUsersList(ws, a),
  };
}

function usersInfo(ws: Workspace, args: Args): ApiAnswer {
  const id = str(args, "user");
  const profile = id !== undefined ? ws.users.get(id) : undefined;
  if (id === undefined || !profile) return fail("user_not_found");
  const name = profile.name ?? id.toLowerCase();
  const realName = profile.realName ?? name;
  const user: Record<string, unknown> = {
    id,
    team_id: ws.teamId,
    name,
    deleted: profile.deleted ?? false,
    real_name: realName,
    tz: profile.tz ?? "Asia/Tokyo",
    is_admin: false,
    is_owner: false,
    is_bot: profile.isBot ?? false,
    is_app_user: false,
    updated: ws.nowSeconds(),
    profile: {
      real_name: realName,
      display_name: name,
      ...(profile.email !== undefined ? { email: profile.email } : {}),
      team: ws.teamId,
      ...(profile.isBot ? { bot_id: ws.botId, api_app_id: ws.appId } : {}),
    },
  };
  if (bool(args, "include_locale")) {
    const locale = ws.userLocale(profile);
    if (locale !== undefined) user.locale = locale;
  }
  return { ok: true, user };
}

function usergroupsUsersList(ws: Workspace, args: Args): ApiAnswer {
  const group = str(args, "usergroup");
  const members = group !== undefined ? ws.usergroups.get(group) : undefined;
  if (!members) return fail("no_such_subteam");
  return { ok: true, users: [...members] };
}
