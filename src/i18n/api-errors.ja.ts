/**
 * Alibaba Cloud のエラーの日本語テキスト。コードごとに「何が起きたか」と「次に何をするか」を 1 行ずつ。
 * です・ます調で、コンソールの用語（インスタンス、バックアップセット、バックアップタスク、実行中、
 * RAM ユーザー、コンソール）に合わせています。Slack のマークアップは使いません。
 *
 * Placeholders are the same as in api-errors.en.ts. Write them with no space around them:
 * explainFailure puts a space between a Latin value and Japanese text (`rm-xxxx では`), and none
 * around a Japanese fallback (`このインスタンスでは`).
 */
import type { ErrorCatalog, ExplainStrings } from "./api-errors.en.js";

const CLOUD_SUPPORT =
  "時間をおいて再度お試しください。解決しない場合は、RequestId を添えて Alibaba Cloud サポートにお問い合わせください。";
const SERVER_FAULT =
  "数分待ってから再度お試しください。解決しない場合は、RequestId を添えて Alibaba Cloud サポートにお問い合わせください。";

export const API_ERRORS_JA: ErrorCatalog = {
  // --- CreateBackup: 400 ---
  "BackupType.NotSupport": {
    what: "このインスタンスでは、指定されたバックアップタイプ（BackupType）はサポートされていません。",
    next: "BackupType は Auto にしてください。FullBackup は SQL Server で BackupMethod が Physical の場合のみ指定できます。",
  },
  "InvalidBackupMethod.ValueNotSupport": {
    what: "指定されたバックアップ方法はサポートされていません（BackupMethod: {method}、エンジン: {engine}）。",
    next: "別の方法を選択してください。Physical はすべてのエンジン、Logical は MySQL のみ、Snapshot はクラウドディスクのみで使用できます。",
  },
  ReadDBInstanceNotSupport: {
    what: "このタイプのインスタンス（読み取り専用インスタンスなど）では、バックアップを作成できません。",
    next: "代わりにプライマリインスタンスのバックアップを作成してください。",
  },
  "IncorrectDBInstanceLockMode.ValueNotSupported": {
    what: "インスタンスがロックされているため、バックアップを作成できません（有効期限切れ、未払い、ストレージ不足など）。",
    next: "コンソールでロックの理由を確認し、更新・支払い・ストレージの拡張でロックを解除してから、再度リクエストしてください。",
  },
  BackupJobExists: {
    what: "{instanceId}では、すでにバックアップタスクが実行中です。",
    next: "タスクの完了を待ってから、再度リクエストしてください。進捗はコンソールの「バックアップと復元」で確認できます。",
  },
  "InvalidPreferredBackupTime.Format": {
    what: "自動バックアップポリシーのバックアップ時間帯が無効です。",
    next: "コンソールの「バックアップと復元」でバックアップポリシーの時間帯を確認してから、再度お試しください。",
  },
  "InvalidDBName.Format": {
    what: "指定されたデータベース名は無効です（DBName: {dbName}）。",
    next: "インスタンス上に存在するデータベース名をコンマ (,) 区切りで指定し、BackupStrategy を db にしてください。",
  },
  "Order.ComboInstanceNotAllowOperate": {
    what: "このインスタンスはパッケージの一部として購入されているため、単独では操作できません。",
    next: "所属するパッケージから操作するか、バックアップの方法を Alibaba Cloud サポートにお問い合わせください。",
  },
  "Price.PricingPlanResultNotFound": {
    what: "Alibaba Cloud の料金システムで、この操作の料金プランが見つかりませんでした。",
    next: CLOUD_SUPPORT,
  },
  "Order.NoRealNameAuthentication": {
    what: "Alibaba Cloud アカウントの実名認証が完了していません。",
    next: "アカウントの所有者に、アカウントセンターで実名認証を完了するよう依頼してください。",
  },
  InsufficientAvailableQuota: {
    what: "アカウントの利用可能額がゼロを下回っています。",
    next: "アカウントの所有者に入金または未払い料金の精算を依頼してから、再度お試しください。",
  },
  "CommodityServiceCalling.Exception": {
    what: "Alibaba Cloud 内部の商品サービスの呼び出しに失敗しました。",
    next: CLOUD_SUPPORT,
  },
  RegionDissolvedEOM: {
    what: "Alibaba Cloud はこのリージョンのサービスを終了する予定のため、新しい注文や操作を受け付けていません。",
    next: "インスタンスの別リージョンへの移行を検討し、バックアップについては Alibaba Cloud サポートにお問い合わせください。",
  },
  "Commodity.InvalidComponent": {
    what: "注文システムから、このインスタンスの構成要素が無効であると報告されました。",
    next: "コンソールでインスタンスの構成と注文を確認してください。解決しない場合は Alibaba Cloud サポートにお問い合わせください。",
  },
  RegionEndTimeDissolvedAustralia: {
    what: "オーストラリア (シドニー) リージョンのサービスは終了します（終了日: 2024 年 9 月 30 日）。",
    next: "インスタンスを別のリージョンへ移行してください。既存のバックアップについては Alibaba Cloud サポートにお問い合わせください。",
  },
  "Price.CommoditySys": {
    what: "Alibaba Cloud の商品・料金システムでエラーが発生しました。",
    next: CLOUD_SUPPORT,
  },
  "Pay.InsufficientBalance": {
    what: "アカウントの利用可能残高が不足しています。",
    next: "アカウントの所有者に入金を依頼してから、再度お試しください。",
  },
  "Order.PeriodInvalid": {
    what: "注文システムが、選択されたサブスクリプション期間を受け付けませんでした。",
    next: "コンソールでインスタンスのサブスクリプション期間と自動更新の設定を確認してください。不明な場合はサポートにお問い合わせください。",
  },
  "pay.noCreditCard": {
    what: "Alibaba Cloud アカウントにクレジットカードが紐付けられていません。",
    next: "アカウントの所有者に、支払い方法としてクレジットカードを登録するよう依頼してください。",
  },
  "Order.InstHasUnpaidOrder": {
    what: "このサービスに未払いの注文があるため、新しい注文ができません。",
    next: "コンソールの注文ページで未払いの注文を支払うかキャンセルしてから、再度お試しください。",
  },
  noAvailablePaymentMethod: {
    what: "Alibaba Cloud アカウントに支払い方法が設定されていません。",
    next: "アカウントの所有者に、アカウントへ支払い方法を追加するよう依頼してください。",
  },
  BasicInfoUncompleted: {
    what: "アカウントの基本情報が入力されていません。",
    next: "アカウントの所有者に、アカウントセンターで基本情報を入力するよう依頼してください。",
  },
  "Risk.RiskControlRejection": {
    what: "Alibaba Cloud のリスク管理によりリクエストが拒否されました（アカウントに異常があると判定されています）。",
    next: "アカウントの所有者から Alibaba Cloud サポートに連絡し、アカウントの状態を確認してもらってください。",
  },
  "Api.NotSupport": {
    what: "このインスタンスまたはリージョンでは、この API はサポートされていません。",
    next: "インスタンスのエディションが手動バックアップに対応しているか確認し、コンソールから実行するか Alibaba Cloud サポートにお問い合わせください。",
  },
  ContainForbiddenLabelError: {
    what: "アカウントまたはインスタンスに、注文を禁止するラベルが付いています。",
    next: "ご利用の販売代理店にお問い合わせください。",
  },
  "InvalidDBInstanceId.NotFound": {
    what: "{instanceId}が、このアカウントとリージョンに見つかりません。",
    next: "インスタンス ID とリージョンを確認してから（リリース済みの可能性があります）、新しいリクエストを送信してください。",
  },
  "InvalidInstanceLevel.DiskType": {
    what: "このインスタンスのエディションでは、現在のストレージタイプでこのバックアップを実行できません（BackupMethod: {method}）。",
    next: "ストレージに合った方法を選択してください。Snapshot にはクラウドディスク (ESSD) が必要です。ローカル SSD では Physical を使用してください。",
  },
  InvalidParam: {
    what: "パラメーターが拒否されました。PostgreSQL では、論理レプリケーションスロットが残っていることが原因の場合があります。",
    next: "バックアップのパラメーターと API のメッセージを確認してください。論理スロットに関する内容であれば、不要なスロットを削除してください。",
  },
  KmsApiError: {
    what: "このインスタンスの暗号化に使用している KMS キーが無効です。",
    next: "管理者に依頼して、Key Management Service (KMS) でインスタンスのキーを確認してください。",
  },
  "System.SaleValidateFailed": {
    what: "Alibaba Cloud の販売検証システムでエラーが発生しました。",
    next: CLOUD_SUPPORT,
  },
  "Abs.InvalidAccount.NotFound": {
    what: "ボットの認証情報に対応する Alibaba Cloud アカウントが見つかりません。",
    next: "ボットの AccessKey またはロールがどのアカウントのものか確認してください。正しい場合は Alibaba Cloud サポートにお問い合わせください。",
  },
  SqlExecuteFailedOrTimeout: {
    what: "この操作のために RDS がインスタンス上で実行した SQL コマンドが、失敗またはタイムアウトしました。",
    next: "インスタンスの負荷と API のメッセージを確認し、負荷が下がってから再度お試しください。",
  },
  "ColdData.EngineVersionNotSupport": {
    what: "このインスタンスのエンジンバージョンは、コールドデータ（階層型ストレージ）に対応していません。",
    next: "インスタンスのコールドデータの設定を確認するか、エンジンバージョンをアップグレードしてから、再度お試しください。",
  },
  "ColdData.MinorVersionNotSupport": {
    what: "このインスタンスのマイナーバージョンは、コールドデータ（階層型ストレージ）に対応していません。",
    next: "コンソールでインスタンスのマイナーバージョンをアップグレードしてから、再度お試しください。",
  },
  IncorrectTargetClasscode: {
    what: "このインスタンスタイプでは、この操作はサポートされていません。",
    next: "コンソールでインスタンスタイプとエディションを確認してください。別のバックアップ方法やインスタンスタイプが必要な場合があります。",
  },
  "InvalidConnectionString.Duplicate": {
    what: "接続文字列の重複が報告されました。バックアップのリクエストでは接続文字列を指定しません。",
    next: "インスタンスで接続設定の変更が進行中でないか確認し、該当しない場合は RequestId を添えて Alibaba Cloud サポートにお問い合わせください。",
  },
  "RequiredParam.NotFound": {
    what: "リクエストに必須のパラメーターがありません。",
    next: "インスタンス ID を指定してリクエストをやり直してください。再度失敗する場合は、RequestId を添えてボットの管理者に報告してください。",
  },
  "Parameters.Invalid": {
    what: "バックアップのパラメーターのいずれかが API によって拒否されました。",
    next: "BackupMethod、BackupStrategy、DBName、BackupType がエンジンに合っているか確認し、新しいリクエストを送信してください。",
  },
  BackupPolicyNotSupport: {
    what: "バックアップポリシーが競合しています。コールドデータは、リージョン間バックアップやフラッシュバックアップと併用できません。",
    next: "コンソールの「バックアップと復元」でバックアップポリシーを見直してから、再度お試しください。",
  },
  "InvalideStatus.Format": {
    what: "インスタンスの現在の状態では、この操作を実行できません（現在の状態: {status}）。",
    next: "インスタンスが実行中になり、ほかのタスクが完了してから、再度リクエストしてください。",
  },
  "InvalidReleasedKeepPolicy.Format": {
    what: "インスタンスのリリース後にバックアップを保持するポリシーが無効です。",
    next: "コンソールのバックアップポリシーで、リリース後のバックアップ保持の設定を確認してから、再度お試しください。",
  },
  "InvalidDBInstanceEngineType.Format": {
    what: "インスタンスのエンジンタイプでは、このバックアップはサポートされていません（エンジン: {engine}）。",
    next: "CreateBackup の対象は MySQL、PostgreSQL、SQL Server、MariaDB です。エンジンと選択したオプションを確認してください。",
  },
  "Pay.NoCreditCard": {
    what: "Alibaba Cloud アカウントにクレジットカードが登録されていません。",
    next: "アカウントの所有者に、支払い設定でクレジットカードを登録するよう依頼してください。",
  },
  VpcNetworkTypeNotSupport: {
    what: "VPC ネットワークタイプのインスタンスでは、この操作はサポートされていません。",
    next: "コンソールからバックアップを作成するか、このネットワークタイプで使えるバックアップ方法を Alibaba Cloud サポートにお問い合わせください。",
  },
  MirrorInsExists: {
    what: "このインスタンスのミラーインスタンスがすでに存在するため、この操作を実行できません。",
    next: "インスタンスのクローンや移行の完了を待ってから、再度お試しください。解決しない場合はサポートにお問い合わせください。",
  },
  UnsupportedClassCode: {
    what: "このインスタンスのインスタンスタイプは販売が終了しており、この操作はサポートされていません。",
    next: "コンソールでインスタンスを現行のインスタンスタイプに変更してから、再度お試しください。",
  },
  InvalidBackupSet: {
    what: "指定されたデータベースがバックアップセットに存在しません（DBName: {dbName}）。",
    next: "インスタンス上のデータベース名と照らし合わせてから、新しいリクエストを送信してください。",
  },
  OrdTCommodityQueryError: {
    what: "Alibaba Cloud の注文システムで商品情報を取得できませんでした。",
    next: CLOUD_SUPPORT,
  },
  ProductInstanceReleased: {
    what: "このインスタンスはすでにリリースされています。",
    next: "存在するインスタンスを選択してください。リリース後も保持されているバックアップはコンソールで確認できます。",
  },
  RegionEndTimeDissolvedIndia: {
    what: "このリージョン（インド）は、Alibaba Cloud のサポートが終了しています。",
    next: "ワークロードを別のリージョンへ移行してください。既存のバックアップについては Alibaba Cloud サポートにお問い合わせください。",
  },
  // --- CreateBackup: 500 ---
  ExternalFailure: {
    what: "RDS が依存する Alibaba Cloud のサービスで障害が発生しました。",
    next: SERVER_FAULT,
  },
  RequestMetaDataFailed: {
    what: "RDS サービスでリクエストの処理に失敗しました。",
    next: SERVER_FAULT,
  },
  InvokeProxyFailure: {
    what: "RDS API の背後にあるサービスで障害が発生しました。",
    next: SERVER_FAULT,
  },
  // --- CreateBackup: 403 ---
  "OperationDenied.ApiForbidden": {
    what: "このアカウントからこの API を呼び出すことは許可されていません。",
    next: "アカウントの管理者または Alibaba Cloud サポートに、この API がアカウントで制限されていないか確認してください。",
  },
  IncorrectDBInstanceEngine: {
    what: "インスタンスのエンジンでは、この操作はサポートされていません（エンジン: {engine}）。",
    next: "エンジンと選択したバックアップ方法を確認してください。対応している場合は、インスタンスがロックされていないか確認してください。",
  },
  IncorrectDBInstanceType: {
    what: "現在のデータベースタイプはこの操作をサポートしていません（エンジン: {engine}）。",
    next: "インスタンスのエディションとストレージタイプを確認し、対応するオプション（Physical など）で新しいリクエストを送信してください。",
  },
  IncorrectDBInstanceState: {
    what: "インスタンスが実行中ではないため、現在バックアップを作成できません（現在の状態: {status}）。",
    next: "インスタンスが実行中になるまで待ってから、再度リクエストしてください。",
  },
  IncorrectDBInstanceCharacterType: {
    what: "インスタンスのキャラクタータイプでは、この操作はサポートされていません。",
    next: "代わりにプライマリインスタンスのバックアップを作成するか、コンソールでインスタンスの種類を確認してください。",
  },
  "Exceeded.BackupTimes": {
    what: "このインスタンスでは、本日すでに上限の 20 個のバックアップセットが作成されています（1 インスタンスにつき 1 日 20 個まで）。",
    next: "カウントがリセットされた後（{resetTime}）に再度お試しください。上限は暦日単位ですが、どのタイムゾーンの日付かは API に記載がありません。",
  },
  "OrderStatus.UnPaid": {
    what: "このインスタンスに未払いの注文があります。",
    next: "コンソールでインスタンスの未払いの注文を支払うかキャンセルしてから、再度リクエストしてください。",
  },
  InvalidReduceDiskSize: {
    what: "ストレージ縮小後の容量が使用量を下回るというエラーが返されました（バックアップでは容量を変更しません）。",
    next: "インスタンスでストレージの変更が保留中でないか確認してください。縮小後の容量は使用量より大きくする必要があります。",
  },
  CloudSSDNotSupport: {
    what: "SSD クラウドディスク (cloud_ssd) のインスタンスでは、この操作はサポートされていません。",
    next: "コンソールでストレージを ESSD にアップグレードするか、別のバックアップ方法を使用してください。",
  },
  InvalidUserOperatorPermission: {
    what: "ボットの ID には、このインスタンスに対してこの操作を行う権限がありません。",
    next: "管理者に、このインスタンスに対する{action}の権限をボットの RAM ユーザーまたはロールに付与するよう依頼してください。",
  },
  InvalidVswitchId: {
    what: "インスタンスの接続に使用する vSwitch ID が無効です。",
    next: "コンソールでインスタンスのネットワーク（VPC と vSwitch）を確認してください。問題がなければ、RequestId を添えてサポートにお問い合わせください。",
  },
  IncorrectMinorVersion: {
    what: "インスタンスのマイナーバージョンでは、この操作はサポートされていません。",
    next: "コンソールでマイナーバージョンをアップグレードしてから、新しいリクエストを送信してください。",
  },
  "OperationDenied.ZoneResource": {
    what: "インスタンスのゾーンに、この操作に使用できるリソースの在庫がありません。",
    next: "時間をおいて再度お試しください。解決しない場合は、ゾーンのリソースについて Alibaba Cloud サポートにお問い合わせください。",
  },
  NotInFlowController: {
    what: "このアカウントは機能の許可リストに含まれていないため、この機能を利用できません。",
    next: "Alibaba Cloud サポートに機能の有効化を依頼するか、別のバックアップ方法を使用してください。",
  },
  InvalidKmsKey: {
    what: "このインスタンスの暗号化に使用している KMS キーが無効化されています。",
    next: "管理者に依頼して Key Management Service (KMS) でキーを有効化してから、再度お試しください。",
  },
  "InvalidInstanceLevel.Malformed": {
    what: "このインスタンスのエディションでは、この操作はサポートされていません。",
    next: "コンソールでインスタンスのエディション（基本エディションには制限があります）を確認し、対応するオプションを選択してください。",
  },
  // --- CreateBackup: 404 ---
  "InvalidDBInstanceName.NotFound": {
    what: "{instanceId}は存在しません。",
    next: "インスタンス ID を確認してから（リリース済み、または別リージョンの可能性があります）、新しいリクエストを送信してください。",
  },
  "InvalidDB.NotFound": {
    what: "指定されたデータベースが存在しないか、操作できない状態です（DBName: {dbName}）。",
    next: "インスタンス上のデータベースを確認してから（論理バックアップには 1 つ以上必要です）、新しいリクエストを送信してください。",
  },
  InvalidClusterKms: {
    what: "このインスタンスには Key Management Service (KMS) へのアクセスが許可されていません。",
    next: "管理者に依頼して RDS に KMS へのアクセスを許可（RDS のサービスロールを承認）してから、再度お試しください。",
  },
  "Request.NotFound": {
    what: "リクエストされたリソースは利用できません。",
    next: "インスタンス ID とリージョンを確認してください。正しい場合は、RequestId を添えて Alibaba Cloud サポートにお問い合わせください。",
  },
  "HostInfo.NotFound": {
    what: "RDS でこのインスタンスのホスト情報が見つかりませんでした。",
    next: CLOUD_SUPPORT,
  },
  // --- Any Alibaba Cloud call ---
  Throttling: {
    what: "リクエストが多すぎるため、Alibaba Cloud によって流量制限（スロットリング）されています。",
    next: "{retryAfter}待ってから、再度お試しください。",
  },
  "Throttling.User": {
    what: "この Alibaba Cloud アカウントからの呼び出しが、アカウントのレート制限を超えました。",
    next: "{retryAfter}待ってから再度お試しください。同じアカウントを使うほかのツールがあれば、呼び出しを分散してください。",
  },
  "Throttling.Api": {
    what: "この API のレート制限を超えました。",
    next: "{retryAfter}待ってから、再度お試しください。",
  },
  "Rejected.Throttling": {
    what: "呼び出しが多すぎるため、Alibaba Cloud がリクエストを受け付けませんでした（スロットリング）。",
    next: "{retryAfter}待ってから、再度お試しください。同じアカウントを使う他のツールがあれば、呼び出しを分散してください。",
  },
  ServiceUnavailable: {
    what: "RDS サービスが一時的に利用できません。",
    next: "数分待ってから再度お試しください。続く場合は Alibaba Cloud のステータスページを確認してください。",
  },
  InternalError: {
    what: "Alibaba Cloud で内部エラーが発生しました。",
    next: SERVER_FAULT,
  },
  GatewayTimeout: {
    what: "Alibaba Cloud の手前のゲートウェイでタイムアウトが発生しました（HTTP 504）。",
    next: "数分待ってから再度お試しください。繰り返す場合は Alibaba Cloud サポートにお問い合わせください。",
  },
  InvalidResponse: {
    what: "Alibaba Cloud から、ボットが読み取れない応答が返されました。",
    next: "時間をおいて再度お試しください。繰り返す場合は、RequestId を添えてボットの管理者に報告してください。",
  },
  SignatureDoesNotMatch: {
    what: "リクエストの署名が一致しません。ボットに設定された AccessKey シークレットが誤っている可能性があります。",
    next: "ボットの運用担当者に、設定された AccessKey ペアとサーバーの時刻の確認を依頼してください。",
  },
  "InvalidAccessKeyId.NotFound": {
    what: "ボットの AccessKey ID が存在しません。",
    next: "ボットの運用担当者に、有効な AccessKey または RAM ロールの設定を依頼してください。",
  },
  "InvalidAccessKeyId.Inactive": {
    what: "ボットの AccessKey が無効化されています。",
    next: "管理者に、RAM コンソールで AccessKey を有効化するか、新しく発行するよう依頼してください。",
  },
  "Forbidden.RAM": {
    what: "ボットの RAM ユーザー（またはロール）には{action}の権限がありません。",
    next: "管理者に、{action}を許可する RAM ポリシーをボットの RAM ユーザーまたはロールにアタッチするよう依頼してください。",
  },
  NoPermission: {
    what: "ボットの RAM ユーザー（またはロール）に{action}を実行する権限がありません。",
    next: "管理者に、{action}の権限の付与を依頼してから、再度お試しください。",
  },
  "InvalidSecurityToken.Expired": {
    what: "ボットの一時的な認証情報（STS トークン）の有効期限が切れているため、何も実行されていません。",
    next: "運用担当者に更新を依頼してから（自動更新される RRSA や ECS の RAM ロールが最適です）、再度依頼してください。",
  },
  InvalidCredentials: {
    what: "ボットに、使用できる Alibaba Cloud の認証情報がありません。",
    next: "ボットの運用担当者に、AccessKey または RAM ロールの設定を依頼してください（起動ログを確認してください）。",
  },
  CredentialsUnavailable: {
    what: "ボットが有効な Alibaba Cloud の認証情報を取得できなかったため、RDS には何も送信されていません。",
    next: "ボットの運用担当者に認証情報の修正を依頼してから（原因はログと /readyz に表示されます）、再度お試しください。",
  },
  Timeout: {
    what: "Alibaba Cloud から時間内に応答がありませんでした。",
    next: "バックアップが開始されていなければ、数分待ってから再度お試しください。",
  },
  ECONNREFUSED: {
    what: "Alibaba Cloud のエンドポイントに接続できませんでした（接続拒否）。",
    next: "時間をおいて再度お試しください。続く場合は、ボットの運用担当者にエンドポイントの設定とネットワークの確認を依頼してください。",
  },
  ENOTFOUND: {
    what: "Alibaba Cloud のエンドポイントのホスト名を解決できませんでした（DNS）。",
    next: "ボットの運用担当者に、リージョン、エンドポイント、DNS の設定の確認を依頼してから、再度お試しください。",
  },
  EAI_AGAIN: {
    what: "DNS の一時的な障害により、Alibaba Cloud に接続できませんでした。",
    next: "1 分ほど待ってから再度お試しください。続く場合は、ボットの運用担当者に DNS の確認を依頼してください。",
  },
  ECONNRESET: {
    what: "Alibaba Cloud との接続が切断されました。",
    next: "バックアップが開始されていなければ、数分待ってから再度お試しください。",
  },
  BadGateway: {
    what: "Alibaba Cloud から、API の応答ではなくゲートウェイエラーが返されました。",
    next: "バックアップが開始されていなければ、数分待ってから再度お試しください。繰り返す場合は Alibaba Cloud サポートにお問い合わせください。",
  },
};

export const EXPLAIN_JA: ExplainStrings = {
  title: {
    rejected: "バックアップは作成されませんでした",
    not_sent: "リクエストは Alibaba Cloud に届きませんでした",
    unknown: "バックアップが開始されたかどうか不明です",
  },
  categoryLabel: {
    fix_request: "リクエストを修正してください",
    retry_later: "時間をおいて再度お試しください",
    permission: "権限を確認してください",
    account_billing: "アカウントと支払い状況を確認してください",
    cloud_side: "Alibaba Cloud 側の問題です",
  },
  categoryNext: {
    fix_request:
      "インスタンスとバックアップのパラメーターを確認してから、新しいリクエストを送信してください。",
    retry_later: "しばらく待ってから、再度お試しください。",
    permission: "管理者に、ボットの RAM 権限と認証情報の確認を依頼してください。",
    account_billing:
      "Alibaba Cloud コンソールでアカウントの支払い状況と状態を確認するか、Alibaba Cloud サポートにお問い合わせください。",
    cloud_side: CLOUD_SUPPORT,
  },
  unknownWhat: (code, apiMessage) =>
    apiMessage === undefined
      ? `Alibaba Cloud の呼び出しがエラー ${code} で失敗しました。`
      : `Alibaba Cloud の呼び出しがエラー ${code} で失敗しました。メッセージ: ${apiMessage}`,
  outcomeUnknownNote:
    "バックアップが開始されたかどうかは不明です。再度リクエストする前に、コンソールの「バックアップと復元」で確認してください。",
  fallback: {
    instanceId: "このインスタンス",
    status: "不明",
    engine: "不明",
    method: "不明",
    dbName: "不明",
    retryAfter: "しばらく",
    action: "必要な RAM アクション",
    resetTime: "翌日",
  },
  duration: (seconds) => {
    if (seconds < 60) return `${seconds} 秒`;
    const minutes = Math.ceil(seconds / 60);
    if (minutes < 60) return `約 ${minutes} 分`;
    return `約 ${Math.ceil(minutes / 60)} 時間`;
  },
};
