/**
 * Where the receiver hands each Slack request to the app (`App.processEvent`), for two things
 * that concern every listener at once and none of them in particular:
 *
 * - the ack latency: from handing the request over to the listener's `ack()`, which Slack wants
 *   within 3 seconds — the same in HTTP and Socket Mode, measured at the one place both share
 *   (a Bolt global middleware cannot see the listener's `ack`: it gets a copy of the arguments);
 * - in-flight work: a graceful stop waits for every request already received to be handled
 *   (an approval still checking the approver, a CreateBackup and the store write after it), so
 *   nothing that Slack was told "ok" about is cut off halfway.
 *
 * And the Socket Mode connection state, for readiness: `SocketModeClient` emits `connected` once
 * Slack says hello and `reconnecting`/`disconnected` when the socket goes.
 */
import type { App, ReceiverEvent } from "@slack/bolt";
import { SocketModeReceiver } from "@slack/bolt";

export interface SlackEventTracker {
  /** Requests received whose listeners are still running. */
  readonly inFlight: number;
  /** Settles once every request received so far has been handled (failures included). */
  idle(): Promise<unknown>;
}

/** What kind of request this is, as a low-cardinality label. */
export function slackEventType(body: Record<string, unknown>): string {
  if (typeof body.command === "string") return "command";
  if (typeof body.type === "string") {
    if (body.type === "event_callback") return "event";
    return body.type.replace(/[^a-z_]/gi, "").slice(0, 40) || "other";
  }
  return "other";
}

/**
 * Wraps `app.processEvent` (the entry the HTTP and Socket Mode receivers both call) to time the
 * ack and keep track of the requests being handled. Call before the app starts.
 */
export function trackSlackEvents(
  app: App,
  onAck: (type: string, seconds: number) => void,
): SlackEventTracker {
  const running = new Set<Promise<void>>();
  const handle = app.processEvent.bind(app);
  app.processEvent = (event: ReceiverEvent): Promise<void> => {
    const type = slackEventType(event.body);
    const received = performance.now();
    let acked = false;
    const ack: ReceiverEvent["ack"] = (response) => {
      if (!acked) {
        acked = true;
        onAck(type, (performance.now() - received) / 1000);
      }
      return event.ack(response);
    };
    const work = handle({ ...event, ack });
    running.add(work);
    const forget = () => running.delete(work);
    work.then(forget, forget);
    return work;
  };
  return {
    get inFlight() {
      return running.size;
    },
    idle: () => Promise.allSettled([...running]),
  };
}

/** The Socket Mode client's events and whether each means "connected". */
const SOCKET_STATES: Readonly<Record<string, boolean>> = {
  connected: true,
  connecting: false,
  reconnecting: false,
  disconnecting: false,
  disconnected: false,
  close: false,
};

/**
 * In Socket Mode, calls `onChange` whenever the WebSocket to Slack comes up or goes down, and
 * returns true; in HTTP mode there is no such connection and it returns false.
 */
export function followSocketMode(app: App, onChange: (connected: boolean) => void): boolean {
  // Bolt keeps its receiver private; the instance is the one created in src/slack/app.ts.
  const receiver = (app as unknown as { receiver?: unknown }).receiver;
  if (!(receiver instanceof SocketModeReceiver)) return false;
  for (const [event, connected] of Object.entries(SOCKET_STATES)) {
    receiver.client.on(event, () => onChange(connected));
  }
  return true;
}
