/**
 * Recognising the thread reply that announces a request's backup job (started, or adopted after a
 * lost answer), in either language, from the message catalogs themselves, so a rewording does not
 * break the count. Other replies (progress, finished) may mention the job id; they are not
 * announcements.
 */
import { type Locale, messages } from "../../src/i18n/index.js";

const LOCALES: readonly Locale[] = ["en", "ja"];
const HOLE = "\u0000";

/** True when `text` announces job `jobId` (as "started" or "adopted"). */
export function announcesJob(text: string, jobId: string): boolean {
  return LOCALES.some((locale) => {
    const thread = messages(locale).thread;
    const started = thread.jobStarted(jobId, HOLE).split(HOLE)[0] ?? "";
    return (started !== "" && text.includes(started)) || text.includes(thread.jobAdopted(jobId));
  });
}
