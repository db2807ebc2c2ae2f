/** The environment of a bot in a child process: the stage's settings, pointed at the given emulators. */
import { type StageEnvOptions, stageEnv } from "../../src/sandbox/stage.js";

export function botEnv(options: StageEnvOptions & { logLevel: string }): Record<string, string> {
  // The log level is the benchmark's choice (a memory run measures with the level it is given).
  return { ...stageEnv(options), LOG_LEVEL: options.logLevel };
}
