/**
 * Publishes a person's Home tab (`views.publish`): renders it from the store's data in their
 * language, with each of their requests linked to its thread (the notifier's cached permalinks).
 * The callers retry (the refresher's lease, the next opening), so the client makes one attempt.
 */
import type { WebClient } from "@slack/web-api";
import type { HomeData, HomePublisher } from "../backup/ports.js";
import type { BackupRequest, Locale } from "../domain/request.js";
import type { SlackNotifier } from "./notifier.js";
import { homeView } from "./views/home.js";

export interface HomePublisherOptions {
  approvalChannelId: string;
  /** How long the thread links may take, all together (they are cached after the first time). */
  linksWithinMs: number;
  clock?: (() => Date) | undefined;
}

export class SlackHomePublisher implements HomePublisher {
  constructor(
    private readonly client: WebClient,
    private readonly notifier: Pick<SlackNotifier, "threadLink">,
    private readonly options: HomePublisherOptions,
  ) {}

  async publish(userId: string, locale: Locale, data: HomeData, notice?: string): Promise<void> {
    const view = homeView({
      data,
      locale,
      approvalChannelId: this.options.approvalChannelId,
      links: await this.links([...data.mine, ...data.recent]),
      notice,
      now: this.options.clock?.() ?? new Date(),
    });
    await this.client.views.publish({ user_id: userId, view });
  }

  private async links(requests: readonly BackupRequest[]): Promise<Map<string, string>> {
    const links = new Map<string, string>();
    await Promise.all(
      requests.map(async (request) => {
        const link = await this.notifier
          .threadLink(request, this.options.linksWithinMs)
          .catch(() => undefined);
        if (link) links.set(request.id, link);
      }),
    );
    return links;
  }
}
