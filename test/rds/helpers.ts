import { type AddressInfo, createServer } from "node:net";
import { AlibabaRdsGateway, type AlibabaRdsGatewayOptions } from "../../src/rds/gateway.js";
import {
  EMULATOR_ACCESS_KEY_ID,
  EMULATOR_ACCESS_KEY_SECRET,
  type RdsEmulator,
} from "../../src/sandbox/rds-emulator.js";

export interface LogLine {
  fields: Record<string, unknown>;
  message: string;
}

/** A logger that keeps its lines, to assert on them. */
export function captureLogger() {
  const lines: LogLine[] = [];
  return {
    lines,
    debug: (fields: Record<string, unknown>, message: string) => lines.push({ fields, message }),
  };
}

/** Retry delays short enough for tests, still exercised for real. */
export const FAST_RETRY = { baseDelayMs: 20, maxDelayMs: 100, maxAttempts: 5, minAttemptMs: 20 };

export function gatewayFor(
  emulator: RdsEmulator,
  options: Partial<AlibabaRdsGatewayOptions> = {},
): AlibabaRdsGateway {
  return new AlibabaRdsGateway({
    regionId: "cn-hangzhou",
    endpoint: emulator.endpoint,
    accessKeyId: EMULATOR_ACCESS_KEY_ID,
    accessKeySecret: EMULATOR_ACCESS_KEY_SECRET,
    timeoutMs: 2_000,
    retryPolicy: FAST_RETRY,
    ...options,
  });
}

/** A port nothing listens on: bound once, then released. */
export async function closedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

/** The rejection of `promise`, which must reject. */
export async function rejectionOf(promise: Promise<unknown>): Promise<unknown> {
  try {
    await promise;
  } catch (error) {
    return error;
  }
  throw new Error("expected the promise to reject");
}
