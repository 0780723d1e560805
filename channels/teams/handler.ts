/**
 * The Teams activity handler: verifies nothing (the adapter did), normalises, hands over, renders.
 *
 * - message with text          → InboundEvent{text} (the bot's @mention stripped)
 * - message with a file or pasted image → InboundEvent{attachments} (inbound.ts attachmentsOf)
 * - message with value         → InboundEvent{value: FormSubmission} (Action.Submit, older clients),
 *                                or InboundEvent{text} for a choice picked from a card's list
 * - invoke adaptiveCard/action → InboundEvent{value: FormSubmission} (Action.Execute); the first
 *                                reply answers the invoke in the HTTP body as a card that replaces
 *                                the submitted one, the others are posted as messages
 * - conversationUpdate / installationUpdate → the sender's Contact is stored or retired
 *
 * Each delivery is processed once (see deliveries.ts). Events carry the activity's own time (its
 * `timestamp`, see inbound.ts) and the conversation reference; the core records the Contact from
 * the events handed to it, and install events record it here, through the same
 * services/contacts.ts `touch`.
 */
import { Activity } from '@microsoft/agents-activity';
import { ActivityHandler, INVOKE_RESPONSE_KEY, type AdaptiveCardInvokeResponse, type AdaptiveCardInvokeValue, type InvokeResponse, type TurnContext } from '@microsoft/agents-hosting';
import type { AppContext } from '../../core/context.js';
import type { BotCore, InboundEvent, OutMessage } from '../../core/message.js';
import { activityOfCard, parseChoiceSubmission, parseSectionSubmission, renderAsCards, renderMessage, SECTION_VERB, textCards, toActivities, type AdaptiveCard } from './cards.js';
import { retire, touch } from '../../services/contacts.js';
import { claimDelivery, failDelivery, finishDelivery, type DeliveryClaim } from './deliveries.js';
import { activityOf, activityTime, attachmentsOf, inboundEvent, isPersonal, textOf, type TeamsActivity } from './inbound.js';
import type { DondocCloudAdapter } from './channel.js';
import { vi } from '../../i18n/vi.js';

const CARD_RESPONSE = 'application/vnd.microsoft.card.adaptive';

export const cardInvokeResponse = (c: AdaptiveCard): AdaptiveCardInvokeResponse => ({
  statusCode: 200,
  type: CARD_RESPONSE,
  value: c as unknown as Record<string, unknown>,
});

/** The SDK activities that show `replies`, in order. */
const activitiesOf = (replies: OutMessage[]): Activity[] => toActivities(replies.flatMap((m) => renderMessage(m)));

/** An invoke's answer, as the turn's reply the adapter returns in the HTTP body. */
const invokeResponseActivity = (value: InvokeResponse): Activity => Activity.fromObject({ type: 'invokeResponse', value });

/**
 * The Agents SDK's ActivityHandler has the Teams events the bot uses (installationUpdate add and
 * remove, conversationUpdate members, adaptiveCard/action invokes): the separate Teams extension
 * package, deprecated, is not needed.
 */
export class DondocTeamsBot extends ActivityHandler {
  constructor(
    private readonly ctx: AppContext,
    private readonly bot: BotCore,
  ) {
    super();
    this.onMembersAdded(async (context, next) => {
      await this.handleMembersAdded(context);
      await next();
    });
    this.onMembersRemoved(async (context, next) => {
      const a = activityOf(context);
      if (isPersonal(a) && a.membersRemoved?.some((m) => m.id === a.recipient.id)) await retire(this.ctx, 'teams', a.from.id, 'uninstalled');
      await next();
    });
    this.onInstallationUpdateAdd(async (context, next) => {
      if (isPersonal(activityOf(context))) await this.remember(activityOf(context));
      await next();
    });
    this.onInstallationUpdateRemove(async (context, next) => {
      if (isPersonal(activityOf(context))) await retire(this.ctx, 'teams', activityOf(context).from.id, 'uninstalled');
      await next();
    });
  }

  /** Every turn: claim the delivery, run the handlers, record the outcome. */
  override async run(context: TurnContext): Promise<void> {
    const a = activityOf(context);
    let claim: DeliveryClaim;
    try {
      // Committed with the turn's own writes (the router's unit of work), before its answer.
      claim = await this.ctx.store.db.unitOfWork(() => claimDelivery(this.ctx, a), { durable: false });
    } catch (e) {
      // The store is unreachable: nothing can be recorded, so nothing is processed; say so.
      this.ctx.log.error({ activityType: a.type, activityId: a.id, err: { message: (e as Error).message } }, 'teams: could not record the delivery');
      await this.apologise(context);
      return;
    }
    if (claim.kind === 'duplicate') {
      this.ctx.log.info({ activityType: a.type, activityId: a.id, status: claim.status }, 'teams: duplicate delivery ignored');
      if (a.type === 'invoke') {
        const value: InvokeResponse = claim.invokeResponse ?? {
          status: 200,
          body: cardInvokeResponse(textCards(claim.status === 'done' ? vi.teams.alreadyProcessed : vi.teams.stillProcessing)[0]),
        };
        await context.sendActivity(invokeResponseActivity(value));
      }
      return;
    }
    try {
      // ActivityHandler.run without its chain of 'Turn' handlers, of which the bot registers none
      // (onTurn): the activity's type (checked by the envelope) picks the handler.
      await this.onTurnActivity(context);
    } catch (e) {
      const err = e as Error & { statusCode?: number };
      this.ctx.log.error({ activityType: a.type, activityId: a.id, err: { message: err.message, statusCode: err.statusCode } }, 'teams: turn failed');
      await failDelivery(this.ctx, claim, err.message ?? String(e)).catch((x: Error) =>
        this.ctx.log.warn({ activityId: a.id, err: { message: x.message } }, 'teams: could not record the failed delivery'),
      );
      await this.apologise(context);
      return;
    }
    const invoke = context.turnState.get(INVOKE_RESPONSE_KEY) as Activity | undefined;
    // The answers went out: the record of it needs no commit of its own (it joins the next one),
    // and is written once the request is answered (the next check phase, after the response's
    // write): the official's next message does not wait behind it. `idle` waits for it.
    const written = new Promise<void>((done) => setImmediate(() => void this.finish(a, claim, invoke).then(done, done)));
    this.finishing.add(written);
    void written.then(() => this.finishing.delete(written));
  }

  /** Deliveries answered whose record is not written yet (run's last step). */
  private readonly finishing = new Set<Promise<void>>();

  /** Resolves once every delivery answered so far is recorded as finished. */
  async idle(): Promise<void> {
    while (this.finishing.size) await Promise.all(this.finishing);
  }

  private async finish(a: TeamsActivity, claim: DeliveryClaim, invoke: Activity | undefined): Promise<void> {
    try {
      await this.ctx.store.db.unitOfWork(() => finishDelivery(this.ctx, claim, a.type === 'invoke' ? (invoke?.value as InvokeResponse | undefined) : undefined), { durable: false });
    } catch (e) {
      // The turn's answers went out; only its record is missing (a redelivery would be run again).
      this.ctx.log.warn({ activityType: a.type, activityId: a.id, err: { message: (e as Error).message } }, 'teams: could not record the finished delivery');
    }
  }

  /**
   * A message, handled directly rather than through a handler registered with `onMessage`: the
   * SDK's default runs the registered handlers in a chain (each a few promises, its logging) and
   * then the 'Default' ones, of which the bot registers none.
   */
  protected override async onMessageActivity(context: TurnContext): Promise<void> {
    await this.handleMessage(context);
  }

  private async apologise(context: TurnContext): Promise<void> {
    try {
      if (activityOf(context).type === 'invoke') {
        if (!context.turnState.get(INVOKE_RESPONSE_KEY)) await context.sendActivity(invokeResponseActivity({ status: 200, body: cardInvokeResponse(textCards(vi.teams.failure)[0]) }));
      } else if (activityOf(context).type === 'message') {
        await context.sendActivities(toActivities(renderMessage({ text: vi.teams.failure })));
      }
    } catch (e) {
      this.ctx.log.warn({ err: { message: (e as Error).message } }, 'teams: could not send the apology');
    }
  }

  private async send(context: TurnContext, replies: OutMessage[]): Promise<void> {
    const activities = activitiesOf(replies);
    if (activities.length) await context.sendActivities(activities);
  }

  /**
   * The core's turn of `ev`, its replies sent. They are rendered while the turn's writes reach the
   * disk (BotCore.handle `meanwhile`), and sent only once they are there.
   */
  private async turn(context: TurnContext, ev: InboundEvent): Promise<void> {
    let early: { replies: OutMessage[]; activities: Activity[] } | undefined;
    const meanwhile = (replies: OutMessage[]) => {
      try {
        early = { replies, activities: activitiesOf(replies) };
      } catch {
        // Rendered again below, where a failure is handled as before.
      }
    };
    const replies = await this.bot.handle(ev, { meanwhile });
    const activities = early?.replies === replies ? early.activities : activitiesOf(replies);
    if (activities.length) await context.sendActivities(activities);
  }

  /** An install event (not handed to the core): the person's Contact is stored or refreshed. */
  private async remember(a: TeamsActivity): Promise<void> {
    await touch(this.ctx, inboundEvent(a, activityTime(a, this.ctx.clock.now()), {}));
  }

  private async handleMessage(context: TurnContext): Promise<void> {
    const a = activityOf(context);
    if (!isPersonal(a)) return this.send(context, [{ text: vi.teams.personalOnly }]);
    const receivedAt = activityTime(a, this.ctx.clock.now());

    if (a.value !== undefined && a.value !== null) {
      // A choice picked from a card's list: the words it stands for, as if typed.
      const chosen = parseChoiceSubmission(a.value);
      if (chosen !== null) return this.turn(context, inboundEvent(a, receivedAt, { text: chosen }));
      // Action.Submit (the fallback of the section card's Action.Execute): card data + input values.
      const submission = parseSectionSubmission(a.value);
      if (!submission) return this.send(context, [{ text: vi.teams.unknownAction }]);
      return this.turn(context, inboundEvent(a, receivedAt, { value: submission }));
    }
    // A file or pasted image (the signed report): the core fetches it; a pasted image with the bot's token.
    const files = attachmentsOf(a, () => (context.adapter as DondocCloudAdapter).botToken(context));
    if (files.length) return this.turn(context, inboundEvent(a, receivedAt, { attachments: files }));
    const text = textOf(a);
    if (!text) return this.send(context, [{ text: vi.teams.onlyText }]);
    await this.turn(context, inboundEvent(a, receivedAt, { text }));
  }

  private async handleMembersAdded(context: TurnContext): Promise<void> {
    const a = activityOf(context);
    if (!isPersonal(a)) return;
    if (a.membersAdded?.some((m) => m.id === a.recipient.id)) {
      // The app was installed: the core records the Contact from the event and greets the person.
      await this.turn(context, inboundEvent(a, activityTime(a, this.ctx.clock.now()), {}));
    } else await this.remember(a);
  }

  /** Action.Execute on a section card. */
  protected override async onAdaptiveCardInvoke(context: TurnContext, invokeValue: AdaptiveCardInvokeValue): Promise<AdaptiveCardInvokeResponse> {
    const a = activityOf(context);
    const submission = invokeValue.action?.verb === SECTION_VERB ? parseSectionSubmission(invokeValue.action.data) : null;
    if (!submission || !isPersonal(a)) return cardInvokeResponse(textCards(vi.teams.unknownAction)[0]);

    const replies = await this.bot.handle(inboundEvent(a, activityTime(a, this.ctx.clock.now()), { value: submission }));
    const [first, ...rest] = replies;
    if (!first) return cardInvokeResponse(textCards(vi.teams.received)[0]);
    const [card, ...moreCards] = renderAsCards(first);
    const more = [...moreCards.map((c) => activityOfCard(c)), ...rest.flatMap((m) => renderMessage(m))];
    if (more.length) await context.sendActivities(toActivities(more));
    return cardInvokeResponse(card);
  }
}
