/**
 * `npm run playground [-- --port N]`: the real bot on the built-in Slack and RDS emulators, and a
 * page on 127.0.0.1 that shows the workspace as Slack would and lets you act as each demo person.
 */
import { startPlayground } from "./server.js";

const USAGE = "usage: npm run playground [-- --port N]   (N: 1–65535; default: a free port)";

function parsePort(args: readonly string[]): number {
  let port = 0;
  for (let i = 0; i < args.length; i++) {
    const arg = args[i] ?? "";
    if (arg === "--help" || arg === "-h") {
      process.stdout.write(`${USAGE}\n`);
      process.exit(0);
    }
    const inline = /^--port=(.*)$/.exec(arg);
    const value = inline ? inline[1] : arg === "--port" ? args[++i] : undefined;
    if (value === undefined) throw new Error(`unknown argument "${arg}"`);
    if (!/^\d+$/.test(value) || Number(value) < 1 || Number(value) > 65_535) {
      throw new Error(`--port takes a port number from 1 to 65535, not "${value}"`);
    }
    port = Number(value);
  }
  return port;
}

async function main(): Promise<void> {
  let port: number;
  try {
    port = parsePort(process.argv.slice(2));
  } catch (error) {
    process.stderr.write(`playground: ${error instanceof Error ? error.message : String(error)}\n${USAGE}\n`);
    process.exit(64);
  }
  const playground = await startPlayground({ port });
  process.stdout.write(
    `rds-backup-bot playground: the real bot on built-in Slack and RDS emulators (127.0.0.1 only).\n` +
      `Open ${playground.url}\nCtrl-C stops it.\n`,
  );
  let stopping = false;
  const stop = () => {
    if (stopping) return;
    stopping = true;
    playground.close().then(
      () => process.exit(0),
      () => process.exit(1),
    );
  };
  process.on("SIGINT", stop);
  process.on("SIGTERM", stop);
}

main().catch((error: unknown) => {
  const message = error instanceof Error ? error.message : String(error);
  const hint = /EADDRINUSE/.test(message) ? " (that port is taken: choose another with --port N)" : "";
  process.stderr.write(`playground failed: ${message}${hint}\n`);
  process.exit(1);
});
