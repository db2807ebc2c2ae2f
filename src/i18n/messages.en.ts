/**
 * Every sentence a person reads, in English. `ja` must provide the same keys (the compiler checks).
 * Arguments arrive already formatted for the chat platform (mentions, escaped user text), so these
 * functions only arrange words; they never escape or add markup of their own beyond `*bold*`.
 */
export const en = {
  language: "English",
  modal: {
    title: "RDS backup",
    submit: "Request",
    close: "Cancel",
    intro: (approvalChannel: string) =>
      `Ask for a backup of an ApsaraDB RDS instance now. The request waits in ${approvalChannel} until an approver decides.`,
    instanceLabel: "Instance",
    instancePlaceholder: "Search by id or description",
    instanceHint: "Not listed? Cancel and type /rds-backup <DBInstanceId> instead.",
    instanceIdLabel: "Instance id",
    instanceIdPlaceholder: "rm-uf6wjk5xxxx",
    instanceIdHint: "The DBInstanceId, from the RDS console or DescribeDBInstances.",
    engineNote: (engine: string, version: string, edition: string, storage: string) =>
      `Engine: ${engine} ${version} · edition: ${edition} · storage: ${storage}. Only the options this instance supports are shown.`,
    methodLabel: "Backup method",
    methodHint: "Physical unless you need a logical (MySQL) or snapshot (cloud disk) backup.",
    strategyLabel: "Backup strategy",
    strategyHint: "Instance backs up everything; database backs up the databases you name.",
    dbNameLabel: "Databases",
    dbNamePlaceholder: "db1,db2",
    dbNameSearch: (count: number) => `Type to search ${count} databases`,
    dbNameHint: "Comma-separated database names. Used only with the database strategy.",
    typeLabel: "Backup type",
    typeHint: "Auto lets RDS choose a full or incremental backup.",
    retentionLabel: "Retention (days)",
    retentionPlaceholder: "7 to 730, or -1 for long-term",
    retentionHint: "How long to keep this backup set: 7 to 730 days, or -1 for long-term retention.",
    checking: "Checking the instance…",
    filed: (requestId: string, approvalChannel: string) =>
      `Request ${requestId} is filed and waits for approval in ${approvalChannel}. You can close this window.`,
    done: "Close",
    runAtLabel: "Start time (optional)",
    runAtHint: "Empty: as soon as approved. At most 14 days ahead, in your own time zone.",
    reasonLabel: "Reason",
    reasonPlaceholder: "Why is this backup needed? (a release, a migration, an incident…)",
    reasonHint: "Shown to the approvers on the card, and kept with the request. Up to 500 characters.",
    reasonRequiredHint:
      "This instance's approval rule asks for a reason. Shown to the approvers on the card, and kept with the request. Up to 500 characters.",
    windowNote: (window: string, next: string) =>
      `:alarm_clock: Backups of this instance run only inside its window \`${window}\`; it next opens ${next}.`,
    runsAtNote: (when: string) => `:alarm_clock: Once approved, the backup runs ${when}.`,
    runsAtOpeningNote: (when: string, window: string) =>
      `:alarm_clock: That time is outside the window \`${window}\`: once approved, the backup runs at its next opening, ${when}.`,
  },
  options: {
    method: { Physical: "Physical", Logical: "Logical", Snapshot: "Snapshot" },
    strategy: { instance: "Instance", db: "Database" },
    type: { Auto: "Auto (full or incremental)", FullBackup: "Full backup" },
    apiDefault: (value: string) => `${value} (default)`,
    instanceOption: (id: string, engine: string, version: string, status: string) =>
      `${id} · ${engine} ${version} · ${status}`,
    cachedNote: "RDS is slow to answer; showing the list from a moment ago.",
    noMatch: "No instance matches. You can type the id with /rds-backup <DBInstanceId>.",
    unavailable: "RDS did not answer in time. Try again, or use /rds-backup <DBInstanceId>.",
  },
  problems: {
    required: (field: string) => `${field} is required.`,
    instance_id_format: (value: string) =>
      `"${value}" is not an RDS instance id. It looks like rm-uf6wjk5xxxx (letters, digits and one dash).`,
    instance_not_found: (value: string, regions: string) =>
      `No instance "${value}" was found with the bot's credentials in ${regions}. Check the id; if the instance lives in another region, ask an operator to add that region to RDS_REGION_IDS.`,
    instance_lookup_failed: (detail: string) =>
      `The instance could not be looked up just now (${detail}). Try again in a moment.`,
    credentials_failed: (code: string) =>
      `Alibaba Cloud refuses the bot's credentials (${code}), so nothing was filed. An operator must fix them (the bot's /readyz says why); ask again after that.`,
    not_primary: (value: string, role: string) =>
      `"${value}" is ${role}, and RDS backs up only primary instances. Ask for a backup of its primary instance instead.`,
    not_primary_of: (value: string, role: string, primary: string) =>
      `"${value}" is ${role} of ${primary}, and RDS backs up only primary instances. Ask for a backup of ${primary} instead.`,
    /** Why an option is not offered for this instance (the form's hint, and after a refused value). */
    omissions: {
      cloud_disk_snapshot_only: (storage: string) =>
        `This instance is on cloud disks (${storage}): RDS takes only snapshot backups of it, and no database-level backup.`,
      snapshot_needs_cloud_disk: (storage: string) =>
        `Snapshot backups need cloud disks; this instance is on local SSDs (${storage}).`,
      mariadb_snapshot_as_physical:
        "RDS for MariaDB makes snapshot backups, which the API asks for as Physical: that is the one choice.",
      db_level_needs_edition: (instance: string) =>
        `A database-level backup needs MySQL 5.6, 5.7 or 8.0, the High-availability Edition (or MySQL 5.7 Enterprise Edition) and local SSDs; this instance is ${instance}.`,
    },
    roles: {
      Readonly: "a read-only instance",
      Guard: "a disaster recovery instance",
      Temp: "a temporary instance",
      other: (type: string) => `not a primary instance (type ${type || "unknown"})`,
    },
    unknown_value: (field: string, value: string, allowed: string) =>
      `${field} "${value}" is not a valid value. Use one of: ${allowed}.`,
    not_supported_by_engine: (field: string, value: string, engine: string, allowed: string) =>
      `${engine} does not support ${field} "${value}" for this instance. Use one of: ${allowed}.`,
    not_applicable: (field: string, value: string, engine: string) =>
      `${field} "${value}" does not apply to this ${engine} backup. Leave it out (see the table in /rds-backup help).`,
    db_name_required: "Name at least one database (comma-separated) for a database-level backup.",
    db_name_format: (value: string) =>
      `"${value}" is not a valid database name: use letters, digits, _, - or $, up to 64 characters each.`,
    retention_range: (value: string) =>
      `Retention "${value}" is out of range: use a whole number of days from 7 to 730, or -1 for long-term.`,
    unknown_option: (value: string, allowed: string) => `Unknown option "${value}". Known keys: ${allowed}.`,
    duplicate_option: (value: string) => `"${value}" is given more than once.`,
    malformed_option: (value: string) => `"${value}" is not in key=value form.`,
    instance_not_running: (status: string) =>
      `The instance is ${status}, not Running, so it cannot be backed up now. Ask again once it is Running.`,
    backup_in_progress: (jobId: string) =>
      `A backup is already running on this instance (job ${jobId}). Wait for it to finish, then ask again.`,
    daily_limit_reached: (count: string) =>
      `${count} backup sets were already made today (UTC): RDS allows 20 per instance per day. Ask again after 00:00 UTC.`,
    run_at_format: (value: string) =>
      `"${value}" is not a start time the bot can read. Give a clock time (at=01:30: the next 01:30 in your Slack time zone) or a date and time with its offset (at=2026-12-02T01:30+09:00).`,
    run_at_needs_offset: (value: string) =>
      `"${value}" has no UTC offset, so it does not say whose time it is. Add one (at=2026-12-02T01:30+09:00), or give a clock time (at=01:30) in your own time zone.`,
    run_at_past: (when: string) =>
      `The start time ${when} has already passed. Choose a later time, or leave it empty to run as soon as approved.`,
    run_at_too_far: (when: string) =>
      `The start time ${when} is more than 14 days ahead. Ask again closer to the time.`,
    run_at_no_time_zone: (value: string) =>
      `Your Slack time zone could not be read, so the clock time ${value} cannot be placed. Give a date and time with its offset instead (at=2026-12-02T01:30+09:00).`,
    reason_required:
      "This instance's approval rule asks for a reason: say why the backup is needed (in the form's Reason field, or reason=\"…\" in the command).",
    reason_too_long: (length: string, max: number) =>
      `The reason is ${length} characters long; keep it to ${max}.`,
    unterminated_quote: (quote: string) =>
      `A value opens with ${quote} but never closes: end it with the closing quote, as in reason="before the release".`,
  },
  command: {
    help: (command: string, approvalChannel: string) =>
      [
        `*${command}*: ask for an ApsaraDB RDS backup now; an approver in ${approvalChannel} decides.`,
        `• \`${command}\`: open the request form`,
        `• \`${command} <DBInstanceId> [db=… strategy=… method=… type=… retention=… at=… reason="…"]\`: file a request without the form`,
        `• \`${command} status <request id | BackupJobId>\`: where a request stands`,
        `• \`${command} cancel <request id>\`: withdraw your pending request, or cancel a scheduled backup before it starts`,
        `• \`${command} history [DBInstanceId]\`: the latest requests and their outcomes`,
        `• \`${command} help\`: this message`,
        'Keys: `method` Physical | Logical | Snapshot · `strategy` instance | db · `db` comma-separated databases · `type` Auto | FullBackup (SQL Server) · `retention` 7–730 or -1 (SQL Server) · `at` a start time: `01:30` (the next 01:30 in your Slack time zone) or `2026-12-02T01:30+09:00`, at most 14 days ahead · `reason` why it is needed, in double quotes when it has spaces: `reason="before the 2.3 release"` (some instances require one).',
        `Example: \`${command} rm-uf6wjk5xxxx method=Logical strategy=db db=orders,users\``,
      ].join("\n"),
    problemsHeader: (count: number) =>
      count === 1
        ? "The request was not filed. One thing to fix:"
        : `The request was not filed. ${count} things to fix:`,
    filed: (requestId: string, approvalChannel: string) =>
      `Request ${requestId} is filed and waits for approval in ${approvalChannel}. You will hear back here.`,
    filedWhen: (when: string) => `When it runs: ${when}.`,
    unknownSubcommand: (word: string, command: string) =>
      `"${word}" is not a command I know. Type \`${command} help\` for usage.`,
    internalError: (reference: string) =>
      `Something went wrong on the bot's side and nothing was filed. The details are in its logs (reference ${reference}).`,
    /** A click whose handling failed part-way: the approval may have been recorded, even acted on. */
    clickError: (reference: string) =>
      `Something went wrong on the bot's side while handling this click, so what it did is not certain. The request's thread will show what happened; the details are in the bot's logs (reference ${reference}).`,
    notAllowedToRequest: "You are not on the list of people who may request backups of this instance.",
    channelNotAllowed: "Backups of this instance can only be requested from the channels the policy names.",
    noRule: "No approval rule covers this instance, so nobody could approve it. Ask an operator to add one.",
  },
  card: {
    fallback: (requestId: string, instanceId: string, state: string) =>
      `Backup request ${requestId} for ${instanceId}: ${state}`,
    header: (instanceId: string) => `Backup request: ${instanceId}`,
    requestedBy: (who: string, when: string) => `Requested by ${who} (${when})`,
    instance: "Instance",
    engine: "Engine",
    description: "Description",
    status: "Status",
    region: "Region",
    parameters: "Parameters",
    reason: "Reason",
    apiDefault: "API default",
    approvals: (count: number, required: number) => `${count} of ${required} approvals`,
    requestId: (id: string) => `Request ${id}`,
    expires: (when: string) => `Waits until ${when}`,
    approve: "Approve",
    reject: "Reject",
    cancel: "Cancel request",
    cancelScheduled: "Cancel the scheduled run",
    cancelScheduledConfirmTitle: "Cancel the scheduled backup?",
    cancelScheduledConfirmText: (instanceId: string, when: string) =>
      `The backup of ${instanceId} scheduled for ${when} will not run.`,
    cancelScheduledConfirmYes: "Cancel the run",
    confirmLaterTitle: "Schedule this backup?",
    confirmLaterText: (instanceId: string, when: string) =>
      `CreateBackup runs on ${instanceId} at ${when} if the instance is ready then. It can be cancelled until it starts.`,
    confirmWindowTitle: "Approve this backup?",
    confirmWindowText: (instanceId: string, window: string) =>
      `CreateBackup runs on ${instanceId} inside the window ${window}: at once if it is open, else when it next opens. A scheduled run can be cancelled until it starts.`,
    when: "When",
    runsAt: (when: string, until: string) => `${when} (${until})`,
    runsAtOpening: (when: string, until: string, asked: string, window: string) =>
      `${when} (${until}): the window \`${window}\` opens then; the time asked for, ${asked}, is outside it`,
    runsInWindow: (window: string, next: string) =>
      `As soon as approved while the window \`${window}\` is open; otherwise at its next opening, ${next}`,
    inAbout: (days: number, hours: number, minutes: number) =>
      days > 0
        ? `in ${days} d${hours > 0 ? ` ${hours} h` : ""}`
        : hours > 0
          ? `in ${hours} h${minutes > 0 ? ` ${minutes} min` : ""}`
          : minutes > 0
            ? `in ${minutes} min`
            : "any moment now",
    confirmTitle: "Take this backup now?",
    confirmText: (instanceId: string) =>
      `CreateBackup runs on ${instanceId} as soon as you confirm. It cannot be undone from here.`,
    confirmYes: "Approve",
    confirmNo: "Not yet",
    checkAgain: "Check again",
    startAgain: "Start the backup again",
    startAgainConfirmTitle: "Start the backup again?",
    startAgainConfirmText: (instanceId: string) =>
      `CreateBackup runs on ${instanceId} once more. If an earlier call did start a backup, this makes a second one: look at the instance's backups in the console first.`,
    startAgainConfirmYes: "Start again",
    closeNotStarted: "Close as not started",
    closeConfirmTitle: "Close as not started?",
    closeConfirmText:
      "The request ends and the bot does not call CreateBackup for it again. Do this when the console shows no backup from this request.",
    closeConfirmYes: "Close",
    confirmBack: "Back",
    createCalls: (calls: number, max: number) => `CreateBackup calls: ${calls} of ${max}`,
    preflight: {
      title: "Pre-flight checks",
      running: "Running",
      notRunning: (status: string) => `Not running (${status})`,
      runningUnknown: "Status unknown",
      noBackup: "No backup in progress",
      backupRunning: (jobId: string) => `Backup job ${jobId} in progress`,
      backupUnknown: "Backup tasks unknown",
      today: (count: number, limit: number) => `${count} of ${limit} backups today (UTC)`,
      todayUnknown: "Backups today unknown",
      checkedAt: (when: string) => `checked ${when}`,
    },
    state: {
      pending: "Waiting for approval",
      approved: (who: string, when: string) => `Approved by ${who} (${when}); starting the backup…`,
      approvedUnclear: (who: string, when: string, code: string, decideAt: string) =>
        `Approved by ${who} (${when}). CreateBackup got no clear answer (${code}); checking whether the backup started, decision by ${decideAt}.`,
      submitted: (who: string, when: string, jobId: string) =>
        `Approved by ${who} (${when}). Backup job ${jobId} is running.`,
      succeeded: (who: string, when: string, jobId: string) =>
        `Approved by ${who} (${when}). Backup job ${jobId} finished.`,
      failed: (code: string) => `Failed: ${code}. See the thread.`,
      rejected: (who: string, when: string) => `Rejected by ${who} (${when})`,
      cancelled: (who: string, when: string) => `Cancelled by ${who} (${when})`,
      closedNotStarted: (who: string, when: string) =>
        `Closed as not started by ${who} (${when}). The bot will not call CreateBackup for it again.`,
      expired: (when: string) => `Expired without a decision (${when}); nothing ran.`,
      needs_attention:
        "Needs a decision: the bot cannot tell whether the backup started. See the thread, then use the buttons below.",
      scheduled: (who: string, when: string, startAt: string, until: string, deadline: string) =>
        `Approved by ${who} at ${when}. Scheduled for ${startAt} (${until}); it may start until ${deadline}.`,
      scheduledNotReady: (since: string, reasons: string, deadline: string) =>
        `At ${since} the instance was not ready (${reasons}): the bot keeps trying until ${deadline}.`,
      scheduleMissed: (deadline: string) =>
        `Did not run: the backup could not start before ${deadline}. Nothing ran; see the thread.`,
      lostTrack: (jobId: string) =>
        `Outcome unknown: the bot stopped following backup job ${jobId}. Check it in the console (Backup and Restoration).`,
    },
  },
  rejectModal: {
    title: "Reject request",
    submit: "Reject",
    close: "Back",
    intro: (requestId: string, instanceId: string) =>
      `Reject backup request ${requestId} for ${instanceId}? Nothing will run.`,
    reasonLabel: "Reason (optional)",
    reasonPlaceholder: "Shown in the request's thread and to the requester",
  },
  thread: {
    approvalRecorded: (who: string, count: number, required: number) =>
      `${who} approved (${count} of ${required}). One more approver is needed.`,
    approved: (who: string) => `${who} approved. Calling CreateBackup…`,
    jobStarted: (jobId: string, requestId: string) =>
      `Backup started: job *${jobId}* (RequestId ${requestId}).`,
    jobAdopted: (jobId: string) =>
      `The backup call's answer was lost, but RDS shows job *${jobId}* started for it; following that job.`,
    createUnclear: (code: string, call: number, decideAt: string) =>
      `:hourglass_flowing_sand: CreateBackup (call ${call}) got no clear answer (${code}). The backup may have started: the bot is watching RDS's backup listings and decides by ${decideAt}. It will not start a second backup on a guess.`,
    createAgain: (call: number, max: number) =>
      `RDS's listings showed no backup from the unanswered call for as long as they may lag, so none was started: calling CreateBackup once more (call ${call} of at most ${max}).`,
    createFailed: "CreateBackup failed.",
    rejected: (who: string) => `${who} rejected this request. Nothing ran.`,
    rejectedWithReason: (who: string, reason: string) =>
      `${who} rejected this request: "${reason}". Nothing ran.`,
    cancelled: (who: string) => `${who} cancelled this request. Nothing ran.`,
    expired: "This request waited too long without a decision and has expired. Nothing ran.",
    needsAttention:
      "The bot cannot confirm whether this backup started: CreateBackup got no clear answer and RDS does not show a job the bot can match to it. Check the instance's backups in the console (Backup and Restoration) before asking again.",
    needsDecision: (mentions: string) =>
      `:warning: ${mentions} this request needs a decision: the bot cannot tell whether its backup started.`,
    found: {
      nothing: "CreateBackup got no clear answer, and RDS's listings show no backup for it.",
      backupSet: (backupId: string, start: string) =>
        `RDS lists backup set ${backupId} (started ${start}), made after the first call: probably this request's backup, but RDS does not say which call made it.`,
      runningBefore: (jobId: string) =>
        `Backup job ${jobId} is running on the instance, but it was running before this request's first call: it is not this request's.`,
      otherRequest: (jobId: string) => `Backup job ${jobId} on the instance belongs to another request.`,
      unknownBefore: (jobId: string) =>
        `Backup job ${jobId} is running, but the bot could not list the jobs before the first call, so it cannot tell whether it is this request's.`,
      several: (jobId: string) =>
        `Several backup jobs are running (${jobId}, …); the bot cannot tell which one is this request's.`,
      unreadable: (code: string) => `RDS's backup listings could not be read (${code}).`,
      callsUsedUp: (max: number) => `The ${max} CreateBackup calls one request may make are used up.`,
    },
    decideOptions: (canStartAgain: boolean) =>
      canStartAgain
        ? "Look at the instance's backups in the console (Backup and Restoration), then decide on the card: *Check again* asks RDS once more; *Start the backup again* calls CreateBackup once more (a second backup may result); *Close as not started* ends the request."
        : "Look at the instance's backups in the console (Backup and Restoration), then decide on the card: *Check again* asks RDS once more; *Close as not started* ends the request.",
    checkedAgain: (who: string, found: string) =>
      `${who} checked again: ${found} The request still needs a decision.`,
    startedAgain: (who: string, call: number, max: number) =>
      `${who} decided to start the backup again: calling CreateBackup (call ${call} of at most ${max}).`,
    closedNotStarted: (who: string) =>
      `${who} closed this request as not started. The bot will not call CreateBackup for it again.`,
    jobProgress: (jobId: string, percent: number, status: string) =>
      `Backup job ${jobId}: ${percent}% (${status}).`,
    jobFinished: (jobId: string, details: string) =>
      `:white_check_mark: Backup finished: job *${jobId}*. ${details}`,
    backupSetDetails: (backupId: string, method: string, size: string, start: string, end: string) =>
      `Backup set ${backupId} · ${method} · ${size} · ${start} – ${end}`,
    jobFailed: (jobId: string, status: string) =>
      `:x: Backup job *${jobId}* failed on the RDS side (status ${status}). Nothing usable was produced. Check the instance's backup tasks in the console (Backup and Restoration), then ask again.`,
    watchGaveUp: (jobId: string, hours: number) =>
      `Backup job ${jobId} is still not finished after ${hours} hours; the bot stopped following it and closed the request without knowing how it ends. Follow it in the console (Backup and Restoration).`,
    jobLost: (jobId: string) =>
      `:x: Backup job *${jobId}* no longer shows in RDS's listings, and no backup set appeared for it: it most likely did not complete. Check the instance's backups in the console (Backup and Restoration).`,
    preflightBlocked: (who: string, details: string) =>
      `:warning: ${who} approved, but the backup was not started: ${details}. The request stays pending; approve again once the instance is ready.`,
    scheduled: (who: string, startAt: string, deadline: string) =>
      `${who} approved. :alarm_clock: The backup is scheduled for ${startAt}: the bot checks the instance then and starts it (at the latest by ${deadline}). It can be cancelled until it starts.`,
    scheduleNotReady: (reasons: string, deadline: string) =>
      `:hourglass_flowing_sand: It is time for the backup, but the instance is not ready: ${reasons}. The bot keeps trying until ${deadline}, and says here when it starts.`,
    scheduleMissed: (deadline: string) =>
      `:x: The backup did not start: its time ran out at ${deadline}. Nothing ran. File a new request for another time.`,
    scheduleMissedNotReady: (reasons: string, deadline: string) =>
      `:x: The backup did not start: the instance was still not ready (${reasons}) when its time ran out at ${deadline}. Nothing ran. File a new request for another time.`,
    remindWaiting: (mentions: string, since: string, progress: string, expires: string) =>
      `:bell: ${mentions} Reminder: this backup request has been waiting for a decision since ${since}${progress}. Please approve or reject it on the card above. Without a decision it expires ${expires}, and nothing runs.`,
    remindExpiring: (mentions: string, expires: string) =>
      `:hourglass: ${mentions} Last call: this backup request expires ${expires} unless it is decided, and then nothing runs. Please approve or reject it on the card above.`,
    remindProgress: (count: number, required: number) => ` (${count} of ${required} approvals so far)`,
    errorCode: "Error code",
    requestIdLabel: "RequestId",
    recommendLabel: "Diagnosis",
    nextLabel: "What to do",
  },
  requester: {
    finished: (instanceId: string, jobId: string, details: string) =>
      `:white_check_mark: Your backup of ${instanceId} finished: job ${jobId}. ${details}`,
    jobFailed: (instanceId: string, jobId: string, status: string) =>
      `:x: Your backup of ${instanceId} failed on the RDS side: job ${jobId} ended with status ${status}, and nothing usable was produced. Check the instance's backup tasks in the console (Backup and Restoration), then ask again.`,
    filed: (requestId: string, instanceId: string, link: string) =>
      `Your backup request ${requestId} for ${instanceId} is waiting for approval: ${link}`,
    approved: (instanceId: string, approvers: string, jobId: string, apiRequestId: string) =>
      `:rocket: Your backup of ${instanceId} was approved by ${approvers} and started: job ${jobId} (RequestId ${apiRequestId}). You will hear here when it finishes.`,
    adopted: (instanceId: string, jobId: string) =>
      `:rocket: Your backup of ${instanceId} started: job ${jobId} (CreateBackup's answer was lost, but RDS shows this job for it). You will hear here when it finishes.`,
    rejected: (instanceId: string, who: string) =>
      `Your backup request for ${instanceId} was rejected by ${who}. Nothing ran.`,
    rejectedWithReason: (instanceId: string, who: string, reason: string) =>
      `Your backup request for ${instanceId} was rejected by ${who}: "${reason}". Nothing ran.`,
    failed: (instanceId: string) => `Your backup of ${instanceId} could not start.`,
    needsAttention: (instanceId: string) =>
      `The bot cannot tell whether your backup of ${instanceId} started; the approvers are asked to decide.`,
    cancelled: (instanceId: string) => `Your backup request for ${instanceId} is cancelled.`,
    expired: (instanceId: string) =>
      `Your backup request for ${instanceId} expired without a decision; nothing ran. Ask again if you still need the backup.`,
    watchGaveUp: (instanceId: string, jobId: string, hours: number) =>
      `Your backup of ${instanceId} (job ${jobId}) is still not finished after ${hours} hours; the bot stopped following it. Follow it in the console (Backup and Restoration).`,
    /** Between two sentences of one message. */
    sentenceGap: " ",
    threadLink: (link: string) => `Thread: ${link}`,
    approvalUnreachable: (requestId: string, instanceId: string, channel: string, code: string) =>
      `:warning: Your backup request ${requestId} for ${instanceId} cannot reach the approval channel ${channel} (Slack answers \`${code}\`), so nobody can approve it.`,
    unreachableFix: {
      no_access: (bot: string) =>
        `The bot must be a member of that channel: ask someone in it to type /invite ${bot} there. If the channel id is wrong, ask the bot's operator to fix APPROVAL_CHANNEL_ID.`,
      archived:
        "The channel is archived: ask a Slack admin to unarchive it, or the bot's operator to set APPROVAL_CHANNEL_ID to another channel.",
      restricted: "A channel or workspace setting stops the bot from posting there: ask a Slack admin.",
      missing_scope:
        "The Slack app lacks a permission: ask the bot's operator to reinstall it from its manifest.",
      other: "Ask the bot's operator to look at the bot's log.",
    },
    unreachableThen: (requestId: string) =>
      `Once that is fixed, the bot posts the card there and the request can be approved, unless it has expired by then; you will hear here. (\`/rds-backup cancel ${requestId}\` withdraws it.)`,
    approvalPosted: (requestId: string, instanceId: string, link: string, expires: string) =>
      `:white_check_mark: The bot can reach the approval channel now: your backup request ${requestId} for ${instanceId} is posted there and waits for approval (until ${expires}): ${link}`,
    approvalPostedLater: (requestId: string, instanceId: string, link: string) =>
      `:white_check_mark: The bot can reach the approval channel now: the card of your backup request ${requestId} for ${instanceId} is posted there, with what happened since in its thread: ${link}`,
    closedNotStarted: (instanceId: string, who: string) =>
      `Your backup request for ${instanceId} was closed as not started by ${who}. Ask again if you still need the backup.`,
    jobLost: (instanceId: string, jobId: string) =>
      `:x: Your backup of ${instanceId} (job ${jobId}) left RDS's task list and no backup set appeared for it: it did not produce a backup. Check the instance's backups in the console (Backup and Restoration), then ask again.`,
    cancelledBy: (instanceId: string, who: string) =>
      `Your backup of ${instanceId} was cancelled by ${who} before it started. Nothing ran.`,
    scheduled: (instanceId: string, when: string) =>
      `:alarm_clock: Your backup of ${instanceId} was approved and is scheduled for ${when}.`,
    scheduleMissed: (instanceId: string) =>
      `Your scheduled backup of ${instanceId} did not run: it could not start in time. Ask again if you still need the backup.`,
  },
  summary: {
    finished: (instanceId: string, jobId: string, size: string, link: string) =>
      `:white_check_mark: Backup of ${instanceId} finished (job ${jobId}, ${size}): ${link}`,
    failed: (instanceId: string, code: string, link: string) =>
      `:x: Backup of ${instanceId} failed (${code}): ${link}`,
    needsAttention: (instanceId: string, link: string) =>
      `:warning: Backup of ${instanceId} needs attention: ${link}`,
    closedNotStarted: (instanceId: string, who: string, link: string) =>
      `:heavy_multiplication_x: Backup request for ${instanceId} closed as not started by ${who}: ${link}`,
    scheduleMissed: (instanceId: string, link: string) =>
      `:x: Scheduled backup of ${instanceId} did not run (it could not start in time): ${link}`,
    reason: (reason: string) => `Reason: ${reason}`,
  },
  refusal: {
    not_approver: "Only the approvers named for this instance can decide on it. Nothing changed.",
    self_approval: "You cannot approve your own request; another approver must decide. Nothing changed.",
    already_approved: "You have already approved this request; another approver must add theirs.",
    no_rule: "No approval rule covers this instance any more, so nobody can approve it. Nothing changed.",
    not_found: "This request no longer exists. Nothing changed.",
    invalid: "That button does not belong to a request of this bot. Nothing changed.",
    alreadyDecided: (state: string) => `This request is already ${state}. Nothing changed.`,
    notRequester: "Only the person who filed a request can cancel it.",
    preflight_failed:
      "The backup was not started: a precondition failed (see the card and the thread). The request stays pending; approve again once the instance is ready.",
    calls_used_up:
      "The CreateBackup calls this request may make are used up. File a new request if a backup is still needed. Nothing changed.",
    stopping: "The bot is restarting. Try again in a minute. Nothing changed.",
    too_late:
      "This request's time to run has passed, so it can no longer be approved: it has expired, and nothing ran. File a new request.",
    already_started: "The backup has already started, so it can no longer be cancelled. Nothing changed.",
    not_requester_or_approver:
      "Only the requester and the approvers of this instance can cancel its scheduled backup. Nothing changed.",
  },
  status: {
    notFound: (query: string) =>
      `No request or backup job "${query}" is known. Request ids look like req-7k2m9x4q1c.`,
    noHistory: "No backup requests yet.",
    historyHeader: (count: number) => `The latest ${count} backup request(s):`,
    checkedAgain: (who: string, when: string) => `${who} checked again (${when})`,
    startedAgain: (who: string, when: string) => `${who} started the backup again (${when})`,
    closedNotStarted: (who: string, when: string) => `${who} closed it as not started (${when})`,
    scheduledFor: (when: string) => `scheduled for ${when}`,
    reason: (reason: string) => `reason: ${reason}`,
  },
  home: {
    header: "RDS backups",
    intro: (approvalChannel: string) =>
      `Requests wait for a decision in ${approvalChannel}. Ask for a backup with /rds-backup.`,
    waiting: "Waiting for you",
    waitingNone: "Nothing waits for your decision.",
    mine: "Your requests",
    mineNone: "You have not asked for a backup yet: type /rds-backup.",
    recent: "Recent backups",
    recentNone: "No backup has finished yet.",
    more: (count: number) => `…and ${count} more`,
    requested: (who: string, ago: string) => `requested by ${who} ${ago}`,
    expires: (when: string) => `waits until ${when}`,
    reason: "Reason",
    job: (jobId: string) => `job ${jobId}`,
    thread: "thread",
    filed: (ago: string) => `filed ${ago}`,
    ended: (ago: string) => `ended ${ago}`,
    by: (who: string) => `asked by ${who}`,
    approvals: (count: number, required: number) => `${count} of ${required} approvals`,
  },
  stateNames: {
    pending: "pending",
    approved: "approved",
    submitted: "running",
    succeeded: "finished",
    failed: "failed",
    rejected: "rejected",
    cancelled: "cancelled",
    expired: "expired",
    needs_attention: "waiting for a person to check it",
    scheduled: "scheduled",
  },
};

/** The shape every language provides: English's keys, with any wording. */
export type Messages = Widen<typeof en>;

type Widen<T> = T extends string
  ? string
  : T extends (...args: infer A) => infer R
    ? (...args: A) => Widen<R>
    : { [K in keyof T]: Widen<T[K]> };
