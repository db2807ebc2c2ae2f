/**
 * A local emulator of Slack at the protocol boundary, for the tests and `npm run demo`.
 *
 * - The Web API side: `POST /api/<method>` answered like slack.com (form or JSON bodies, bearer
 *   token, `{ ok, … }` / `{ ok: false, error }`, 429 with `Retry-After`), with a model of the
 *   workspace behind it: channels and their messages, threads, ephemerals, DMs, modal views,
 *   trigger ids and response URLs. Every call is recorded and can be waited for; faults can be
 *   scripted per method. It lives in `slack/` (see `slack/emulator.ts` for a map of its parts).
 * - The people side lives in `slack-user-simulator.ts` (`SlackUserSimulator`): signed requests to the
 *   bot's request URL, built from what this emulator recorded.
 *
 * This file is the one entry point: import from here. Node built-ins only.
 */
export * from "./slack/emulator.js";
export * from "./slack/types.js";
export * from "./slack-blocks.js";
export * from "./slack-user-simulator.js";
