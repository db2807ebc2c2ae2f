/** The environment of a bot in a child process: the stage's settings, pointed at the given emulators. */
import { EMULATOR_ACCESS_KEY_ID, EMULATOR_ACCESS_KEY_SECRET } from "../../src/sandbox/rds-emulator.js";
import { APPROVAL_CHANNEL, BOT_TOKEN, DBA_GROUP, SIGNING_SECRET, USERS } from "../../src/sandbox/stage.js";

export function botEnv(options: {
  slackApiUrl: string;
  rdsUrl: string;
  port: number;
  databaseUrl: string;
  logLevel: string;
}): Record<string, string> {
  return {
    SLACK_BOT_TOKEN: BOT_TOKEN,
    SLACK_SIGNING_SECRET: SIGNING_SECRET,
    SLACK_MODE: "http",
    SLACK_API_URL: options.slackApiUrl,
    PORT: String(options.port),
    APPROVAL_CHANNEL_ID: APPROVAL_CHANNEL,
    APPROVER_USER_IDS: `${USERS.approver},${USERS.approver2}`,
    APPROVER_USERGROUP_IDS: DBA_GROUP,
    ALIBABA_CLOUD_ACCESS_KEY_ID: EMULATOR_ACCESS_KEY_ID,
    ALIBABA_CLOUD_ACCESS_KEY_SECRET: EMULATOR_ACCESS_KEY_SECRET,
    ALIBABA_CLOUD_REGION_ID: "cn-hangzhou",
    RDS_ENDPOINT: options.rdsUrl,
    DATABASE_URL: options.databaseUrl,
    LOG_LEVEL: options.logLevel,
  };
}
