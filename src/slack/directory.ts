/**
 * People facts from Slack, cached: a user's language and time zone (`users.info` with
 * `include_locale`; `tz` is the IANA name Slack keeps for the person) and user group memberships
 * (`usergroups.users.list`). Both are read on paths with a 3-second budget, so a
 * slow answer falls back (default locale; the last known members) instead of blocking.
 */
import type { WebClient } from "@slack/web-api";
import type { Directory } from "../backup/ports.js";
import type { Locale } from "../domain/request.js";
import { localeFromSlack } from "../i18n/index.js";
import type { Logger } from "../logger.js";

interface Cached<T> {
  value: T;
  at: number;
}

export interface DirectoryOptions {
  defaultLocale: Locale;
  localeTtlMs: number;
  groupTtlMs: number;
  /** How long a caller waits for Slack before using the fallback. */
  answerWithinMs: number;
}

export class SlackDirectory implements Directory {
  private readonly locales = new Map<string, Cached<Locale>>();
  /** Time zones read with the locale (the same `users.info` answer). */
  private readonly timeZones = new Map<string, string>();
  private readonly groups = new Map<string, Cached<ReadonlySet<string>>>();

  constructor(
    private readonly client: WebClient,
    private readonly options: DirectoryOptions,
    private readonly log: Logger,
    private readonly now: () => number = Date.now,
  ) {}

  /** The locale if it is cached and fresh, without asking Slack. */
  cachedLocale(userId: string): Locale | undefined {
    const cached = this.locales.get(userId);
    return cached && this.now() - cached.at < this.options.localeTtlMs ? cached.value : undefined;
  }

  async localeOf(userId: string): Promise<Locale> {
    const cached = this.cachedLocale(userId);
    if (cached) return cached;
    const lookup = this.client.users
      .info({ user: userId, include_locale: true })
      .then((answer) => {
        const locale = localeFromSlack(answer.user?.locale, this.options.defaultLocale);
        this.locales.set(userId, { value: locale, at: this.now() });
        if (answer.user?.tz) this.timeZones.set(userId, answer.user.tz);
        return locale;
      })
      .catch((error: unknown) => {
        this.log.warn({ err: error, userId }, "users.info failed; using the default locale");
        return this.locales.get(userId)?.value ?? this.options.defaultLocale;
      });
    const timedOut = delay(this.options.answerWithinMs).then(
      () => this.locales.get(userId)?.value ?? this.options.defaultLocale,
    );
    return Promise.race([lookup, timedOut]);
  }

  /**
   * The person's Slack time zone (for a start time typed as a clock time), read with their
   * language; `undefined` when Slack did not say.
   */
  async timeZoneOf(userId: string): Promise<string | undefined> {
    await this.localeOf(userId);
    return this.timeZones.get(userId);
  }

  async groupsOf(userId: string, groupIds: readonly string[]): Promise<ReadonlySet<string>> {
    const memberOf = new Set<string>();
    await Promise.all(
      groupIds.map(async (groupId) => {
        const members = await this.membersOf(groupId);
        if (members.has(userId)) memberOf.add(groupId);
      }),
    );
    return memberOf;
  }

  private async membersOf(groupId: string): Promise<ReadonlySet<string>> {
    const cached = this.groups.get(groupId);
    if (cached && this.now() - cached.at < this.options.groupTtlMs) return cached.value;
    const lookup = this.client.usergroups.users
      .list({ usergroup: groupId, include_disabled: false })
      .then((answer) => {
        const members: ReadonlySet<string> = new Set(answer.users ?? []);
        this.groups.set(groupId, { value: members, at: this.now() });
        return members;
      })
      .catch((error: unknown) => {
        // Fail closed: without an answer nobody is a member, unless we knew the group before.
        this.log.warn({ err: error, groupId }, "usergroups.users.list failed");
        return cached?.value ?? new Set<string>();
      });
    const timedOut = delay(this.options.answerWithinMs).then(() => cached?.value ?? new Set<string>());
    return Promise.race([lookup, timedOut]);
  }
}

function delay(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms).unref());
}
