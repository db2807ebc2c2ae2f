import type { Messages } from "./messages.en.js";

/** 日本語の文言。コンソールの用語(インスタンス、バックアップセット、バックアップタスク)に合わせています。 */
export const ja: Messages = {
  language: "日本語",
  modal: {
    title: "RDS バックアップ",
    submit: "申請する",
    close: "キャンセル",
    intro: (approvalChannel: string) =>
      `ApsaraDB RDS インスタンスのバックアップを今すぐ取得するよう申請します。承認者が判断するまで、申請は ${approvalChannel} で待機します。`,
    instanceLabel: "インスタンス",
    instancePlaceholder: "ID または説明で検索",
    instanceHint: "一覧にない場合は、キャンセルして /rds-backup <DBInstanceId> と入力してください。",
    instanceIdLabel: "インスタンス ID",
    instanceIdPlaceholder: "rm-uf6wjk5xxxx",
    instanceIdHint: "RDS コンソールまたは DescribeDBInstances で確認できる DBInstanceId です。",
    engineNote: (engine: string, version: string, edition: string, storage: string) =>
      `エンジン: ${engine} ${version}・エディション: ${edition}・ストレージ: ${storage}。このインスタンスで使用できる項目だけを表示しています。`,
    methodLabel: "バックアップ方法",
    methodHint:
      "論理バックアップ (MySQL) やスナップショット (クラウドディスク) が必要な場合以外は物理バックアップを選択してください。",
    strategyLabel: "バックアップ戦略",
    strategyHint: "インスタンスはすべてを、データベースは指定したデータベースのみをバックアップします。",
    dbNameLabel: "データベース",
    dbNamePlaceholder: "db1,db2",
    dbNameSearch: (count: number) => `${count} 個のデータベースから入力して検索`,
    dbNameHint:
      "データベース名をコンマ区切りで入力します。データベース単位のバックアップでのみ使用されます。",
    typeLabel: "バックアップタイプ",
    typeHint: "自動を選ぶと、RDS がフルバックアップか増分バックアップかを判断します。",
    retentionLabel: "保持期間 (日)",
    retentionPlaceholder: "7〜730、または長期保持は -1",
    retentionHint:
      "このバックアップセットの保持期間です。7〜730 日、または長期保持の場合は -1 を指定します。",
    checking: "インスタンスを確認しています…",
    filed: (requestId: string, approvalChannel: string) =>
      `リクエスト ${requestId} を登録しました。${approvalChannel} で承認を待っています。このウィンドウは閉じてかまいません。`,
    done: "閉じる",
    runAtLabel: "開始時刻 (任意)",
    runAtHint: "空欄の場合は承認後すぐに実行します。14 日先まで、あなたのタイムゾーンで指定します。",
    reasonLabel: "理由",
    reasonPlaceholder: "このバックアップが必要な理由 (リリース、移行、障害対応など)",
    reasonHint: "カードで承認者に表示され、申請とともに記録されます。500 文字まで。",
    reasonRequiredHint:
      "このインスタンスの承認ルールでは理由の記入が必要です。カードで承認者に表示され、申請とともに記録されます。500 文字まで。",
    windowNote: (window: string, next: string) =>
      `:alarm_clock: このインスタンスのバックアップは、時間帯 \`${window}\` の中でのみ実行されます。次に始まるのは ${next} です。`,
    runsAtNote: (when: string) => `:alarm_clock: 承認されると、バックアップは ${when} に実行されます。`,
    runsAtOpeningNote: (when: string, window: string) =>
      `:alarm_clock: その時刻は時間帯 \`${window}\` の外です。承認されると、次に時間帯が始まる ${when} に実行されます。`,
  },
  options: {
    method: { Physical: "物理バックアップ", Logical: "論理バックアップ", Snapshot: "スナップショット" },
    strategy: { instance: "インスタンス", db: "データベース" },
    type: { Auto: "自動 (フルまたは増分)", FullBackup: "フルバックアップ" },
    apiDefault: (value: string) => `${value} (既定)`,
    instanceOption: (id: string, engine: string, version: string, status: string) =>
      `${id}・${engine} ${version}・${status}`,
    cachedNote: "RDS の応答が遅いため、少し前の一覧を表示しています。",
    noMatch: "該当するインスタンスがありません。/rds-backup <DBInstanceId> で ID を直接入力できます。",
    unavailable: "RDS が時間内に応答しませんでした。少し待つか /rds-backup <DBInstanceId> を使ってください。",
  },
  problems: {
    required: (field: string) => `${field} を入力してください。`,
    instance_id_format: (value: string) =>
      `「${value}」は RDS インスタンス ID の形式ではありません。rm-uf6wjk5xxxx のような形式 (英数字とハイフン 1 つ) で入力してください。`,
    instance_not_found: (value: string, regions: string) =>
      `インスタンス「${value}」が、ボットの認証情報では ${regions} に見つかりません。ID を確認してください。別のリージョンのインスタンスであれば、そのリージョンを RDS_REGION_IDS に追加するよう運用担当者に依頼してください。`,
    instance_lookup_failed: (detail: string) =>
      `現在インスタンスを確認できません (${detail})。しばらくしてからもう一度お試しください。`,
    credentials_failed: (code: string) =>
      `Alibaba Cloud がボットの認証情報を受け付けないため (${code})、申請は登録されていません。運用担当者が修正する必要があります (原因はボットの /readyz に表示されます)。修正後に再度依頼してください。`,
    not_primary: (value: string, role: string) =>
      `「${value}」は${role}です。RDS がバックアップできるのはプライマリインスタンスだけです。プライマリインスタンスのバックアップを依頼してください。`,
    not_primary_of: (value: string, role: string, primary: string) =>
      `「${value}」は ${primary} の${role}です。RDS がバックアップできるのはプライマリインスタンスだけです。${primary} のバックアップを依頼してください。`,
    omissions: {
      cloud_disk_snapshot_only: (storage: string) =>
        `このインスタンスはクラウドディスク (${storage}) を使用しているため、RDS はスナップショットバックアップのみ作成でき、データベース単位のバックアップはできません。`,
      snapshot_needs_cloud_disk: (storage: string) =>
        `スナップショットバックアップにはクラウドディスクが必要です。このインスタンスはローカル SSD (${storage}) を使用しています。`,
      mariadb_snapshot_as_physical:
        "RDS for MariaDB はスナップショットバックアップを作成します。API では Physical として指定するため、選択肢はこれだけです。",
      db_level_needs_edition: (instance: string) =>
        `データベース単位のバックアップには、MySQL 5.6、5.7 または 8.0、高可用性エディション (または MySQL 5.7 エンタープライズエディション)、ローカル SSD が必要です。このインスタンスは ${instance} です。`,
    },
    roles: {
      Readonly: "読み取り専用インスタンス",
      Guard: "災害復旧用インスタンス",
      Temp: "一時インスタンス",
      other: (type: string) => `プライマリではないインスタンス (タイプ ${type || "不明"})`,
    },
    unknown_value: (field: string, value: string, allowed: string) =>
      `${field} に「${value}」は指定できません。次のいずれかを指定してください: ${allowed}`,
    not_supported_by_engine: (field: string, value: string, engine: string, allowed: string) =>
      `このインスタンス (${engine}) では ${field}「${value}」を使用できません。次のいずれかを指定してください: ${allowed}`,
    not_applicable: (field: string, value: string, engine: string) =>
      `この ${engine} のバックアップには ${field}「${value}」は適用されません。指定を外してください (/rds-backup help を参照)。`,
    db_name_required:
      "データベース単位のバックアップでは、データベース名を 1 つ以上 (コンマ区切りで) 指定してください。",
    db_name_format: (value: string) =>
      `「${value}」はデータベース名として無効です。英数字、_、-、$ のみ、各 64 文字以内で指定してください。`,
    retention_range: (value: string) =>
      `保持期間「${value}」は範囲外です。7〜730 の整数 (日数)、または長期保持の場合は -1 を指定してください。`,
    unknown_option: (value: string, allowed: string) =>
      `「${value}」は不明なオプションです。使用できるキー: ${allowed}`,
    duplicate_option: (value: string) => `「${value}」が複数回指定されています。`,
    malformed_option: (value: string) => `「${value}」は key=value の形式ではありません。`,
    instance_not_running: (status: string) =>
      `インスタンスのステータスが「${status}」で実行中ではないため、現在はバックアップできません。実行中になってから再度申請してください。`,
    backup_in_progress: (jobId: string) =>
      `このインスタンスではすでにバックアップタスク (${jobId}) が実行中です。完了してから再度申請してください。`,
    daily_limit_reached: (count: string) =>
      `本日 (UTC) すでに ${count} 個のバックアップセットが作成されています。RDS では 1 インスタンスにつき 1 日 20 個までです。UTC 0:00 以降に再度申請してください。`,
    run_at_format: (value: string) =>
      `「${value}」は開始時刻として読み取れません。時刻 (at=01:30: Slack のタイムゾーンで次に来る 01:30) か、オフセット付きの日時 (at=2026-12-02T01:30+09:00) で指定してください。`,
    run_at_needs_offset: (value: string) =>
      `「${value}」には UTC からのオフセットがないため、どのタイムゾーンの時刻か分かりません。オフセットを付ける (at=2026-12-02T01:30+09:00) か、時刻だけ (at=01:30、あなたのタイムゾーン) で指定してください。`,
    run_at_past: (when: string) =>
      `開始時刻 ${when} はすでに過ぎています。より後の時刻を選ぶか、空欄にして承認後すぐに実行してください。`,
    run_at_too_far: (when: string) =>
      `開始時刻 ${when} は 14 日より先です。その時刻が近づいてから再度申請してください。`,
    run_at_no_time_zone: (value: string) =>
      `Slack のタイムゾーンを取得できなかったため、時刻 ${value} を特定できません。オフセット付きの日時 (at=2026-12-02T01:30+09:00) で指定してください。`,
    reason_required:
      'このインスタンスの承認ルールでは理由の記入が必要です。バックアップが必要な理由を書いてください (フォームの「理由」欄、またはコマンドの reason="…")。',
    reason_too_long: (length: string, max: number) =>
      `理由が ${length} 文字あります。${max} 文字以内にしてください。`,
    unterminated_quote: (quote: string) =>
      `${quote} で始まる値が閉じられていません。reason="リリース前の取得" のように閉じる引用符を付けてください。`,
  },
  command: {
    help: (command: string, approvalChannel: string) =>
      [
        `*${command}*: ApsaraDB RDS のバックアップを今すぐ取得するよう申請します。${approvalChannel} の承認者が判断します。`,
        `• \`${command}\`: 申請フォームを開きます`,
        `• \`${command} <DBInstanceId> [db=… strategy=… method=… type=… retention=… at=… reason="…"]\`: フォームを使わずに申請します`,
        `• \`${command} status <申請 ID | BackupJobId>\`: 申請の状況を表示します`,
        `• \`${command} cancel <申請 ID>\`: 承認待ちの自分の申請を取り下げるか、予約されたバックアップを開始前に取り消します`,
        `• \`${command} history [DBInstanceId]\`: 最近の申請と結果を表示します`,
        `• \`${command} help\`: このメッセージを表示します`,
        'キー: `method` Physical | Logical | Snapshot・`strategy` instance | db・`db` コンマ区切りのデータベース名・`type` Auto | FullBackup (SQL Server)・`retention` 7〜730 または -1 (SQL Server)・`at` 開始時刻: `01:30` (Slack のタイムゾーンで次に来る 01:30) または `2026-12-02T01:30+09:00`、14 日先まで・`reason` 申請の理由。空白を含むときは二重引用符で囲みます: `reason="リリース 2.3 の前に"` (理由が必須のインスタンスもあります)',
        `例: \`${command} rm-uf6wjk5xxxx method=Logical strategy=db db=orders,users\``,
      ].join("\n"),
    problemsHeader: (count: number) =>
      count === 1
        ? "申請は受け付けられませんでした。次の点を修正してください:"
        : `申請は受け付けられませんでした。次の ${count} 点を修正してください:`,
    filed: (requestId: string, approvalChannel: string) =>
      `申請 ${requestId} を受け付けました。${approvalChannel} で承認を待っています。結果はここでお知らせします。`,
    filedWhen: (when: string) => `実行日時: ${when}`,
    unknownSubcommand: (word: string, command: string) =>
      `「${word}」は不明なコマンドです。使い方は \`${command} help\` で確認できます。`,
    internalError: (reference: string) =>
      `ボット側でエラーが発生したため、申請は受け付けられませんでした。詳細はボットのログに記録されています (参照番号 ${reference})。`,
    clickError: (reference: string) =>
      `このクリックの処理中にボット側でエラーが発生したため、結果を確認できていません。結果は申請のスレッドに表示されます。詳細はボットのログに記録されています (参照番号 ${reference})。`,
    notAllowedToRequest: "このインスタンスのバックアップを申請できるユーザーに含まれていません。",
    channelNotAllowed:
      "このインスタンスのバックアップは、ポリシーで指定されたチャンネルからのみ申請できます。",
    noRule:
      "このインスタンスに適用される承認ルールがないため、誰も承認できません。運用担当者にルールの追加を依頼してください。",
  },
  card: {
    fallback: (requestId: string, instanceId: string, state: string) =>
      `${instanceId} のバックアップ申請 ${requestId}: ${state}`,
    header: (instanceId: string) => `バックアップ申請: ${instanceId}`,
    requestedBy: (who: string, when: string) => `申請者: ${who} (${when})`,
    instance: "インスタンス",
    engine: "エンジン",
    description: "説明",
    status: "ステータス",
    region: "リージョン",
    parameters: "パラメーター",
    reason: "理由",
    apiDefault: "API の既定値",
    approvals: (count: number, required: number) => `承認 ${count} / ${required}`,
    requestId: (id: string) => `申請 ${id}`,
    expires: (when: string) => `${when} まで待機します`,
    approve: "承認",
    reject: "却下",
    cancel: "申請を取り下げる",
    cancelScheduled: "予約を取り消す",
    cancelScheduledConfirmTitle: "予約したバックアップを取り消しますか?",
    cancelScheduledConfirmText: (instanceId: string, when: string) =>
      `${when} に予約された ${instanceId} のバックアップは実行されません。`,
    cancelScheduledConfirmYes: "予約を取り消す",
    confirmLaterTitle: "このバックアップを予約しますか?",
    confirmLaterText: (instanceId: string, when: string) =>
      `${when} にインスタンスの準備ができていれば、${instanceId} で CreateBackup が実行されます。開始までは取り消せます。`,
    confirmWindowTitle: "このバックアップを承認しますか?",
    confirmWindowText: (instanceId: string, window: string) =>
      `${instanceId} で CreateBackup が時間帯 ${window} の中で実行されます。時間帯の中ならすぐに、そうでなければ次に時間帯が始まるときに実行します。予約は開始までは取り消せます。`,
    when: "実行日時",
    runsAt: (when: string, until: string) => `${when} (${until})`,
    runsAtOpening: (when: string, until: string, asked: string, window: string) =>
      `${when} (${until}): 時間帯 \`${window}\` がこの時刻に始まります。指定された時刻 ${asked} は時間帯の外です`,
    runsInWindow: (window: string, next: string) =>
      `時間帯 \`${window}\` の中で承認されればすぐに、そうでなければ次に時間帯が始まる ${next} に実行します`,
    inAbout: (days: number, hours: number, minutes: number) =>
      days > 0
        ? `あと ${days} 日${hours > 0 ? ` ${hours} 時間` : ""}`
        : hours > 0
          ? `あと ${hours} 時間${minutes > 0 ? ` ${minutes} 分` : ""}`
          : minutes > 0
            ? `あと ${minutes} 分`
            : "まもなく",
    confirmTitle: "今すぐバックアップを取得しますか?",
    confirmText: (instanceId: string) =>
      `確定すると、${instanceId} で CreateBackup が直ちに実行されます。ここから取り消すことはできません。`,
    confirmYes: "承認する",
    confirmNo: "まだしない",
    checkAgain: "再確認する",
    startAgain: "バックアップを再実行する",
    startAgainConfirmTitle: "バックアップを再実行しますか?",
    startAgainConfirmText: (instanceId: string) =>
      `${instanceId} で CreateBackup をもう一度実行します。以前の呼び出しでバックアップが開始されていた場合、2 つ目のバックアップが作成されます。先にコンソールでインスタンスのバックアップを確認してください。`,
    startAgainConfirmYes: "再実行する",
    closeNotStarted: "未実行として終了",
    closeConfirmTitle: "未実行として終了しますか?",
    closeConfirmText:
      "申請を終了し、この申請で CreateBackup を再び呼び出すことはありません。この申請によるバックアップがコンソールに見当たらない場合に選択してください。",
    closeConfirmYes: "終了する",
    confirmBack: "戻る",
    createCalls: (calls: number, max: number) => `CreateBackup 呼び出し: ${calls} / ${max} 回`,
    preflight: {
      title: "事前チェック",
      running: "実行中",
      notRunning: (status: string) => `実行中ではありません (${status})`,
      runningUnknown: "ステータス不明",
      noBackup: "実行中のバックアップなし",
      backupRunning: (jobId: string) => `バックアップタスク ${jobId} が実行中`,
      backupUnknown: "バックアップタスク不明",
      today: (count: number, limit: number) => `本日 (UTC) のバックアップ ${count} / ${limit}`,
      todayUnknown: "本日のバックアップ数不明",
      checkedAt: (when: string) => `${when} 確認`,
    },
    state: {
      pending: "承認待ち",
      approved: (who: string, when: string) =>
        `${who} が ${when} に承認しました。バックアップを開始しています…`,
      approvedUnclear: (who: string, when: string, code: string, decideAt: string) =>
        `${who} が ${when} に承認しました。CreateBackup から明確な応答がありませんでした (${code})。バックアップが開始されたかを確認中で、${decideAt} までに判断します。`,
      submitted: (who: string, when: string, jobId: string) =>
        `${who} が ${when} に承認しました。バックアップタスク ${jobId} を実行中です。`,
      succeeded: (who: string, when: string, jobId: string) =>
        `${who} が ${when} に承認しました。バックアップタスク ${jobId} が完了しました。`,
      failed: (code: string) => `失敗しました: ${code}。詳細はスレッドをご覧ください。`,
      rejected: (who: string, when: string) => `${who} が ${when} に却下しました`,
      cancelled: (who: string, when: string) => `${who} が ${when} に取り下げました`,
      closedNotStarted: (who: string, when: string) =>
        `${who} が ${when} に未実行として終了しました。この申請で CreateBackup を再び呼び出すことはありません。`,
      expired: (when: string) => `判断されないまま ${when} に期限切れになりました。何も実行されていません。`,
      needs_attention:
        "判断が必要です: バックアップが開始されたかどうかをボットが判断できません。スレッドを確認し、下のボタンで対応してください。",
      scheduled: (who: string, when: string, startAt: string, until: string, deadline: string) =>
        `${who} が ${when} に承認しました。${startAt} に予約されています (${until})。${deadline} まで開始できます。`,
      scheduledNotReady: (since: string, reasons: string, deadline: string) =>
        `${since} の時点でインスタンスの準備ができていませんでした (${reasons})。${deadline} まで再試行します。`,
      scheduleMissed: (deadline: string) =>
        `実行されませんでした: ${deadline} までにバックアップを開始できませんでした。何も実行されていません。スレッドをご覧ください。`,
      lostTrack: (jobId: string) =>
        `結果不明: ボットはバックアップタスク ${jobId} の追跡を終了しました。コンソールの「バックアップと復元」で確認してください。`,
    },
  },
  rejectModal: {
    title: "申請を却下",
    submit: "却下する",
    close: "戻る",
    intro: (requestId: string, instanceId: string) =>
      `${instanceId} のバックアップ申請 ${requestId} を却下しますか?何も実行されません。`,
    reasonLabel: "理由 (任意)",
    reasonPlaceholder: "申請のスレッドと申請者に表示されます",
  },
  thread: {
    approvalRecorded: (who: string, count: number, required: number) =>
      `${who} が承認しました (${count} / ${required})。あと 1 名の承認が必要です。`,
    approved: (who: string) => `${who} が承認しました。CreateBackup を呼び出しています…`,
    jobStarted: (jobId: string, requestId: string) =>
      `バックアップを開始しました: バックアップタスク *${jobId}* (RequestId ${requestId})`,
    jobAdopted: (jobId: string) =>
      `バックアップ呼び出しの応答は失われましたが、この申請によるバックアップタスク *${jobId}* が RDS で開始されていることを確認しました。このタスクを追跡します。`,
    createUnclear: (code: string, call: number, decideAt: string) =>
      `:hourglass_flowing_sand: CreateBackup (${call} 回目の呼び出し) から明確な応答がありませんでした (${code})。バックアップが開始されている可能性があります。ボットは RDS のバックアップ一覧を確認しており、${decideAt} までに判断します。推測で 2 つ目のバックアップを開始することはありません。`,
    createAgain: (call: number, max: number) =>
      `RDS の一覧に反映されるまでの時間を待っても、応答のなかった呼び出しによるバックアップは表示されませんでした。バックアップは開始されていないため、CreateBackup をもう一度呼び出します (${call} 回目、最大 ${max} 回)。`,
    createFailed: "CreateBackup が失敗しました。",
    rejected: (who: string) => `${who} がこの申請を却下しました。何も実行されていません。`,
    rejectedWithReason: (who: string, reason: string) =>
      `${who} がこの申請を却下しました: 「${reason}」。何も実行されていません。`,
    cancelled: (who: string) => `${who} がこの申請を取り下げました。何も実行されていません。`,
    expired: "この申請は判断されないまま期限切れになりました。何も実行されていません。",
    needsAttention:
      "このバックアップが開始されたかどうかを確認できません。CreateBackup から明確な応答がなく、この申請に対応するバックアップタスクも RDS で確認できませんでした。再申請する前に、コンソールの「バックアップと復元」でインスタンスのバックアップを確認してください。",
    needsDecision: (mentions: string) =>
      `:warning: ${mentions} この申請には判断が必要です: バックアップが開始されたかどうかをボットが判断できません。`,
    found: {
      nothing:
        "CreateBackup から明確な応答がなく、RDS の一覧にもこの申請のバックアップは表示されていません。",
      backupSet: (backupId: string, start: string) =>
        `最初の呼び出しの後に作成されたバックアップセット ${backupId} (開始 ${start}) が RDS に表示されています。この申請のバックアップである可能性が高いですが、どの呼び出しで作成されたかは RDS からはわかりません。`,
      runningBefore: (jobId: string) =>
        `インスタンスでバックアップタスク ${jobId} が実行中ですが、この申請の最初の呼び出しより前から実行されていたため、この申請のものではありません。`,
      otherRequest: (jobId: string) => `インスタンスのバックアップタスク ${jobId} は別の申請のものです。`,
      unknownBefore: (jobId: string) =>
        `バックアップタスク ${jobId} が実行中ですが、最初の呼び出しの前に実行中のタスクを一覧できなかったため、この申請のものかどうか判断できません。`,
      several: (jobId: string) =>
        `複数のバックアップタスク (${jobId} ほか) が実行中で、どれがこの申請のものか判断できません。`,
      unreadable: (code: string) => `RDS のバックアップ一覧を取得できませんでした (${code})。`,
      callsUsedUp: (max: number) => `1 つの申請で呼び出せる CreateBackup の上限 (${max} 回) に達しました。`,
    },
    decideOptions: (canStartAgain: boolean) =>
      canStartAgain
        ? "コンソールの「バックアップと復元」でインスタンスのバックアップを確認してから、カードで判断してください: *再確認する* は RDS をもう一度確認します。*バックアップを再実行する* は CreateBackup をもう一度呼び出します (2 つ目のバックアップが作成される場合があります)。*未実行として終了* は申請を終了します。"
        : "コンソールの「バックアップと復元」でインスタンスのバックアップを確認してから、カードで判断してください: *再確認する* は RDS をもう一度確認します。*未実行として終了* は申請を終了します。",
    checkedAgain: (who: string, found: string) =>
      `${who} が再確認しました: ${found} 引き続き判断が必要です。`,
    startedAgain: (who: string, call: number, max: number) =>
      `${who} がバックアップの再実行を決めました。CreateBackup を呼び出します (${call} 回目、最大 ${max} 回)。`,
    closedNotStarted: (who: string) =>
      `${who} がこの申請を未実行として終了しました。この申請で CreateBackup を再び呼び出すことはありません。`,
    jobProgress: (jobId: string, percent: number, status: string) =>
      `バックアップタスク ${jobId}: ${percent}% (${status})`,
    jobFinished: (jobId: string, details: string) =>
      `:white_check_mark: バックアップが完了しました: バックアップタスク *${jobId}*。${details}`,
    backupSetDetails: (backupId: string, method: string, size: string, start: string, end: string) =>
      `バックアップセット ${backupId}・${method}・${size}・${start} – ${end}`,
    jobFailed: (jobId: string, status: string) =>
      `:x: バックアップタスク *${jobId}* が RDS 側で失敗しました (ステータス ${status})。使用できるバックアップセットは作成されていません。コンソールの「バックアップと復元」でバックアップタスクを確認してから、再度申請してください。`,
    watchGaveUp: (jobId: string, hours: number) =>
      `バックアップタスク ${jobId} は ${hours} 時間経過しても完了していないため、ボットは追跡を終了し、結果不明のまま申請を終了しました。コンソールの「バックアップと復元」で状況を確認してください。`,
    jobLost: (jobId: string) =>
      `:x: バックアップタスク *${jobId}* が RDS の一覧に表示されなくなり、バックアップセットも作成されていません。完了しなかった可能性が高いです。コンソールの「バックアップと復元」でインスタンスのバックアップを確認してください。`,
    preflightBlocked: (who: string, details: string) =>
      `:warning: ${who} が承認しましたが、バックアップは開始されませんでした: ${details}。申請は承認待ちのままです。インスタンスの準備ができてから再度承認してください。`,
    scheduled: (who: string, startAt: string, deadline: string) =>
      `${who} が承認しました。:alarm_clock: バックアップは ${startAt} に予約されました。その時刻にボットがインスタンスを確認して開始します (遅くとも ${deadline} まで)。開始までは取り消せます。`,
    scheduleNotReady: (reasons: string, deadline: string) =>
      `:hourglass_flowing_sand: バックアップの時刻になりましたが、インスタンスの準備ができていません: ${reasons}。ボットは ${deadline} まで再試行し、開始したらここでお知らせします。`,
    scheduleMissed: (deadline: string) =>
      `:x: バックアップは開始されませんでした: ${deadline} に実行できる時間が終わりました。何も実行されていません。別の時刻で新しく申請してください。`,
    scheduleMissedNotReady: (reasons: string, deadline: string) =>
      `:x: バックアップは開始されませんでした: ${deadline} に実行できる時間が終わった時点でも、インスタンスの準備ができていませんでした (${reasons})。何も実行されていません。別の時刻で新しく申請してください。`,
    remindWaiting: (mentions: string, since: string, progress: string, expires: string) =>
      `:bell: ${mentions} リマインダー: このバックアップ申請は ${since} から判断を待っています${progress}。上のカードで承認または却下してください。判断がないまま ${expires} になると期限切れになり、何も実行されません。`,
    remindExpiring: (mentions: string, expires: string) =>
      `:hourglass: ${mentions} 最終リマインダー: このバックアップ申請は、判断がないまま ${expires} に期限切れになり、何も実行されません。上のカードで承認または却下してください。`,
    remindProgress: (count: number, required: number) => ` (現在 ${count} / ${required} 件承認済み)`,
    errorCode: "エラーコード",
    requestIdLabel: "RequestId",
    recommendLabel: "診断",
    nextLabel: "対処方法",
  },
  requester: {
    finished: (instanceId: string, jobId: string, details: string) =>
      `:white_check_mark: ${instanceId} のバックアップが完了しました: バックアップタスク ${jobId}。${details}`,
    jobFailed: (instanceId: string, jobId: string, status: string) =>
      `:x: ${instanceId} のバックアップが RDS 側で失敗しました: バックアップタスク ${jobId} はステータス ${status} で終了し、使用できるバックアップセットは作成されていません。コンソールの「バックアップと復元」でバックアップタスクを確認してから、再度申請してください。`,
    filed: (requestId: string, instanceId: string, link: string) =>
      `${instanceId} のバックアップ申請 ${requestId} は承認待ちです: ${link}`,
    approved: (instanceId: string, approvers: string, jobId: string, apiRequestId: string) =>
      `:rocket: ${instanceId} のバックアップが ${approvers} によって承認され、開始されました: バックアップタスク ${jobId} (RequestId ${apiRequestId})。完了したらここでお知らせします。`,
    adopted: (instanceId: string, jobId: string) =>
      `:rocket: ${instanceId} のバックアップが開始されました: バックアップタスク ${jobId} (CreateBackup の応答は失われましたが、RDS でこの申請のタスクを確認しました)。完了したらここでお知らせします。`,
    rejected: (instanceId: string, who: string) =>
      `${instanceId} のバックアップ申請は ${who} によって却下されました。何も実行されていません。`,
    rejectedWithReason: (instanceId: string, who: string, reason: string) =>
      `${instanceId} のバックアップ申請は ${who} によって却下されました: 「${reason}」。何も実行されていません。`,
    failed: (instanceId: string) => `${instanceId} のバックアップを開始できませんでした。`,
    needsAttention: (instanceId: string) =>
      `${instanceId} のバックアップが開始されたかどうかをボットが判断できないため、承認者に判断を依頼しました。`,
    cancelled: (instanceId: string) => `${instanceId} のバックアップ申請を取り下げました。`,
    expired: (instanceId: string) =>
      `${instanceId} のバックアップ申請は判断されないまま期限切れになりました。何も実行されていません。バックアップがまだ必要な場合は再度申請してください。`,
    watchGaveUp: (instanceId: string, jobId: string, hours: number) =>
      `${instanceId} のバックアップ (バックアップタスク ${jobId}) は ${hours} 時間経過しても完了していないため、ボットによる追跡を終了しました。コンソールの「バックアップと復元」で状況を確認してください。`,
    /** Between two sentences of one message. */
    sentenceGap: "",
    threadLink: (link: string) => `スレッド: ${link}`,
    approvalUnreachable: (requestId: string, instanceId: string, channel: string, code: string) =>
      `:warning: ${instanceId} のバックアップ申請 ${requestId} は承認チャンネル ${channel} に届かないため (Slack の応答: \`${code}\`)、誰も承認できません。`,
    unreachableFix: {
      no_access: (bot: string) =>
        `ボットがそのチャンネルのメンバーである必要があります。チャンネルのメンバーに /invite ${bot} を実行してもらってください。チャンネル ID が誤っている場合は、ボットの運用担当者に APPROVAL_CHANNEL_ID の修正を依頼してください。`,
      archived:
        "チャンネルがアーカイブされています。Slack の管理者にアーカイブの解除を依頼するか、ボットの運用担当者に APPROVAL_CHANNEL_ID を別のチャンネルに変更するよう依頼してください。",
      restricted:
        "チャンネルまたはワークスペースの設定により、ボットはそこに投稿できません。Slack の管理者に相談してください。",
      missing_scope:
        "Slack アプリに必要な権限がありません。ボットの運用担当者にマニフェストからアプリを再インストールするよう依頼してください。",
      other: "ボットの運用担当者にボットのログを確認するよう依頼してください。",
    },
    unreachableThen: (requestId: string) =>
      `修正されるとボットがそのチャンネルにカードを投稿し、期限切れになっていなければこの申請を承認できるようになります。その際はここでお知らせします (\`/rds-backup cancel ${requestId}\` で取り下げられます)。`,
    approvalPosted: (requestId: string, instanceId: string, link: string, expires: string) =>
      `:white_check_mark: ボットが承認チャンネルに投稿できるようになりました。${instanceId} のバックアップ申請 ${requestId} を投稿し、承認を待っています (期限 ${expires}): ${link}`,
    approvalPostedLater: (requestId: string, instanceId: string, link: string) =>
      `:white_check_mark: ボットが承認チャンネルに投稿できるようになりました。${instanceId} のバックアップ申請 ${requestId} のカードを投稿しました。その後の経過はスレッドにあります: ${link}`,
    closedNotStarted: (instanceId: string, who: string) =>
      `${instanceId} のバックアップ申請は ${who} によって未実行として終了されました。バックアップがまだ必要な場合は再度申請してください。`,
    jobLost: (instanceId: string, jobId: string) =>
      `:x: ${instanceId} のバックアップ (バックアップタスク ${jobId}) は RDS のタスク一覧から消え、対応するバックアップセットも現れませんでした。バックアップは作成されていません。コンソールの「バックアップと復元」で確認してから、再度申請してください。`,
    cancelledBy: (instanceId: string, who: string) =>
      `${instanceId} のバックアップは、開始前に ${who} によって取り消されました。何も実行されていません。`,
    scheduled: (instanceId: string, when: string) =>
      `:alarm_clock: ${instanceId} のバックアップが承認され、${when} に予約されました。`,
    scheduleMissed: (instanceId: string) =>
      `予約した ${instanceId} のバックアップは、時間内に開始できなかったため実行されませんでした。バックアップがまだ必要な場合は再度申請してください。`,
  },
  summary: {
    finished: (instanceId: string, jobId: string, size: string, link: string) =>
      `:white_check_mark: ${instanceId} のバックアップが完了しました (バックアップタスク ${jobId}、${size}): ${link}`,
    failed: (instanceId: string, code: string, link: string) =>
      `:x: ${instanceId} のバックアップが失敗しました (${code}): ${link}`,
    needsAttention: (instanceId: string, link: string) =>
      `:warning: ${instanceId} のバックアップは要確認です: ${link}`,
    closedNotStarted: (instanceId: string, who: string, link: string) =>
      `:heavy_multiplication_x: ${instanceId} のバックアップ申請は ${who} によって未実行として終了されました: ${link}`,
    scheduleMissed: (instanceId: string, link: string) =>
      `:x: 予約した ${instanceId} のバックアップは実行されませんでした (時間内に開始できませんでした): ${link}`,
    reason: (reason: string) => `理由: ${reason}`,
  },
  refusal: {
    not_approver:
      "このインスタンスについて判断できるのは、指定された承認者のみです。変更は行われていません。",
    self_approval: "自分の申請は承認できません。別の承認者の判断が必要です。変更は行われていません。",
    already_approved: "この申請はすでに承認済みです。別の承認者の承認が必要です。",
    no_rule:
      "このインスタンスに適用される承認ルールがなくなったため、誰も承認できません。変更は行われていません。",
    not_found: "この申請は存在しません。変更は行われていません。",
    invalid: "このボタンはこのボットの申請のものではありません。変更は行われていません。",
    alreadyDecided: (state: string) => `この申請はすでに「${state}」です。変更は行われていません。`,
    notRequester: "申請を取り下げられるのは申請者本人のみです。",
    preflight_failed:
      "前提条件を満たしていないため、バックアップは開始されませんでした (カードとスレッドをご覧ください)。申請は承認待ちのままです。インスタンスの準備ができてから再度承認してください。",
    calls_used_up:
      "この申請で呼び出せる CreateBackup の回数を使い切りました。バックアップがまだ必要な場合は新しく申請してください。変更は行われていません。",
    stopping: "ボットは再起動中です。1 分ほどしてから再度お試しください。変更は行われていません。",
    too_late:
      "この申請を実行できる時刻が過ぎたため、承認できません。申請は期限切れになり、何も実行されていません。新しく申請してください。",
    already_started: "バックアップはすでに開始されているため、取り消せません。変更は行われていません。",
    not_requester_or_approver:
      "予約されたバックアップを取り消せるのは、申請者とこのインスタンスの承認者のみです。変更は行われていません。",
  },
  status: {
    notFound: (query: string) =>
      `申請またはバックアップタスク「${query}」は見つかりません。申請 ID は req-7k2m9x4q1c のような形式です。`,
    noHistory: "バックアップ申請はまだありません。",
    historyHeader: (count: number) => `最近のバックアップ申請 (${count} 件):`,
    checkedAgain: (who: string, when: string) => `${who} が ${when} に再確認しました`,
    startedAgain: (who: string, when: string) => `${who} が ${when} にバックアップを再実行しました`,
    closedNotStarted: (who: string, when: string) => `${who} が ${when} に未実行として終了しました`,
    scheduledFor: (when: string) => `${when} に予約`,
    reason: (reason: string) => `理由: ${reason}`,
  },
  home: {
    header: "RDS バックアップ",
    intro: (approvalChannel: string) =>
      `申請は ${approvalChannel} で承認を待ちます。バックアップの申請は /rds-backup から行えます。`,
    waiting: "あなたの判断を待っている申請",
    waitingNone: "あなたの判断を待っている申請はありません。",
    mine: "あなたの申請",
    mineNone: "まだ申請がありません。/rds-backup で申請できます。",
    recent: "最近のバックアップ",
    recentNone: "完了したバックアップはまだありません。",
    more: (count: number) => `…ほか ${count} 件`,
    requested: (who: string, ago: string) => `${who} が ${ago} に申請`,
    expires: (when: string) => `${when} まで待機`,
    reason: "理由",
    job: (jobId: string) => `ジョブ ${jobId}`,
    thread: "スレッド",
    filed: (ago: string) => `${ago} に申請`,
    ended: (ago: string) => `${ago} に終了`,
    by: (who: string) => `申請者 ${who}`,
    approvals: (count: number, required: number) => `承認 ${count}/${required}`,
  },
  stateNames: {
    pending: "承認待ち",
    approved: "承認済み",
    submitted: "実行中",
    succeeded: "完了",
    failed: "失敗",
    rejected: "却下",
    cancelled: "取り下げ",
    expired: "期限切れ",
    needs_attention: "要確認",
    scheduled: "予約済み",
  },
};
