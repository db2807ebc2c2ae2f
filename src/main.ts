/**
 * The real bot: reads the configuration, starts, and stops cleanly on SIGTERM/SIGINT.
 * `node dist/main.js --check` validates the configuration and exits without connecting.
 */
import { startBot } from "./bot.js";
import { ConfigError, parseConfig, readEnvironment, secretValues } from "./config.js";
import { createLogger } from "./logger.js";
import { loadPolicy, PolicyError } from "./policy/load-policy.js";

const SHUTDOWN_LIMIT_MS = 25_000;

const USAGE = `rds-backup-bot: a Slack chat-ops bot for ApsaraDB RDS backups

Usage: node dist/main.js [--check | --help]
  (no option)  start the bot; configuration comes from the environment and ./.env
  --check      validate the configuration and exit (0 when valid)
  --help       this text

See README.md for every variable.`;

async function main(argv: string[]): Promise<number> {
  if (argv.includes("--help") || argv.includes("-h")) {
    process.stdout.write(`${USAGE}\n`);
    return 0;
  }
  let config: ReturnType<typeof parseConfig>;
  try {
    config = parseConfig(readEnvironment(process.env));
  } catch (error) {
    if (error instanceof ConfigError) {
      process.stderr.write(`${error.message}\n`);
      return 78; // EX_CONFIG
    }
    throw error;
  }
  if (argv.includes("--check")) {
    if (config.policyFile) {
      try {
        loadPolicy(config.policyFile, { ...config.approvers });
      } catch (error) {
        if (!(error instanceof PolicyError)) throw error;
        process.stderr.write(`${error.message}\n`);
        return 78;
      }
    }
    process.stdout.write("configuration ok\n");
    return 0;
  }

  const logger = createLogger({ level: config.logLevel, secrets: secretValues(config) });
  let bot: Awaited<ReturnType<typeof startBot>>;
  try {
    bot = await startBot(config, logger);
  } catch (error) {
    // A policy file with a mistake, or a bot token Slack refuses: say what to fix, exit EX_CONFIG.
    if (error instanceof PolicyError || error instanceof ConfigError) {
      process.stderr.write(`${error.message}\n`);
      return 78; // EX_CONFIG
    }
    logger.fatal({ err: error }, "the bot could not start");
    return 1;
  }

  return new Promise<number>((resolve) => {
    const shutdown = (signal: string) => {
      logger.info({ signal }, "shutting down");
      const limit = setTimeout(() => {
        logger.error("shutdown took too long; exiting");
        resolve(1);
      }, SHUTDOWN_LIMIT_MS);
      limit.unref();
      bot.stop().then(
        () => {
          clearTimeout(limit);
          resolve(0);
        },
        (error: unknown) => {
          logger.error({ err: error }, "shutdown failed");
          resolve(1);
        },
      );
    };
    process.once("SIGTERM", () => shutdown("SIGTERM"));
    process.once("SIGINT", () => shutdown("SIGINT"));
  });
}

main(process.argv.slice(2)).then(
  (code) => process.exit(code),
  (error: unknown) => {
    process.stderr.write(`fatal: ${error instanceof Error ? error.message : String(error)}\n`);
    process.exit(1);
  },
);
