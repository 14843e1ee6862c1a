import type { Channel } from './channels';

/** The languages approvers and requesters read: a brand's `language` in its governance settings. */
export const LOCALES = ['de', 'en'] as const;
export type Locale = (typeof LOCALES)[number];

const plural = (n: number, one: string, many: string) => (n === 1 ? one : many);

/**
 * Everything an approver or a requester reads of a campaign, in one language: Current Details, the Update's receipt,
 * the gate's refusals and the notices. What a brief, a model or a person wrote stays as they wrote it; the UI's own
 * labels ("More Actions", "Send an Update", "Data", "Submit") are quoted as the UI shows them.
 */
export interface ApproverTexts {
  stage: Record<string, string>;
  channel: Record<Channel, string>;
  dateLocale: string;
  units: { day: [string, string]; hour: [string, string]; minute: [string, string]; passed: string };
  nobody: string;
  /** How two or more names join where one of them is enough. */
  or: string;
  risk(risk: string, required: number, mustInclude: string): string;
  modelUse: string;
  waiting(round: number): string;
  /** What the last change request asked, and what changed since. */
  sinceRequest(round: number, by: string): string;
  changedHeadline: string;
  sameHeadline: string;
  changedBody: string;
  sameBody: string;
  decideBy: string;
  left(timeLeft: string): string;
  approvedSoFar: string;
  ofRequired(n: number, required: number): string;
  mayStillDecide: string;
  claims(grounded: number, total: number): string;
  claimsNotCounted: string;
  citesNoFacts: string;
  citedFacts: string;
  findings: string;
  none: string;
  blockingTag: string;
  advisoryTag: string;
  blockingNote(n: number): string;
  contentHash: string;
  boundTo: string;
  howToDecide: string;
  withLogin: string[];
  withData: string;
  withDataNotes: string;
  signed: string;
  signedThen: string[];
  rosterId: string;
  budgetReached(step: string): string;
  budgetSpent(spent: string, limit: string, next: string, needed: string): string[];
  budgetWho: string;
  budgetUpdate: string;
  outcomePublished: string;
  outcomeRejected: string;
  approvedBy: string;
  decided: Record<string, string>;
  package: string;
  auditHead: string;
  by: string;
  nobodyInTime: string;
  reason: string;
  /** The Update's receipt: what the decision changed and what happens now. */
  receipt: {
    published(who: string, count: string): string;
    recorded(who: string, count: string, still: number, from: string): string;
    rejected(who: string): string;
    changes(who: string, round: number): string;
    count(n: number, required: number): string;
  };
  /** The gate's refusals, as the approver who just sent a decision reads them. */
  refusal: {
    nothingPending: string;
    otherContent(round: number): string;
    requester(person: string): string;
    requesterBudget(person: string): string;
    outsider(person: string, eligible: string): string;
    noKey(approver: string): string;
    alreadyApproved(approver: string): string;
    changeRoundsUsed(rounds: number): string;
    blocking(n: number): string;
    mustInclude(people: string): string;
  };
  /** The one line a chat tool shows for a notice. */
  notice: {
    awaiting(id: string, round: number, deadline: string, to: string, url: string): string;
    published(id: string, to: string, url: string): string;
    rejected(id: string, to: string, url: string): string;
  };
}

const EN: ApproverTexts = {
  stage: {
    planning: 'Planning the approval',
    researching: 'Researching facts',
    briefing: 'Writing the creative brief',
    writing: 'Writing the variants',
    reviewing: 'Reviewing the variants',
    'awaiting-approval': 'Waiting for your decision',
    'awaiting-budget': 'Waiting for a budget decision',
    publishing: 'Publishing',
    published: 'Published',
    rejected: 'Rejected',
    failed: 'Failed',
  },
  channel: { 'search-ad': 'Search ad', email: 'E-mail', social: 'Social post', display: 'Display ad' },
  dateLocale: 'en-GB',
  units: { day: ['day', 'days'], hour: ['hour', 'hours'], minute: ['minute', 'minutes'], passed: 'passed' },
  nobody: 'nobody',
  or: ' or ',
  risk: (risk, required, mustInclude) =>
    `Risk: **${risk}** · ${required} approval${required === 1 ? '' : 's'} needed` +
    (mustInclude ? `, one of them from ${mustInclude}` : ''),
  modelUse: 'Model use',
  waiting: (round) => `Waiting for approval · round ${round}`,
  sinceRequest: (round, by) => `Changed since round ${round}, which ${by} sent back with:`,
  changedHeadline: 'headline changed, was',
  sameHeadline: 'headline unchanged',
  changedBody: 'text changed',
  sameBody: 'text unchanged',
  decideBy: 'Decide by:',
  left: (t) => `${t} left (without a decision the campaign is rejected)`,
  approvedSoFar: 'Approved so far:',
  ofRequired: (n, required) => `${n} of ${required}`,
  mayStillDecide: 'May still decide:',
  claims: (grounded, total) => `Claims grounded in cited facts: **${grounded} of ${total}**`,
  claimsNotCounted: 'Claims grounded in cited facts: not counted for this campaign',
  citesNoFacts: 'Cites no facts.',
  citedFacts: 'Cited facts:',
  findings: 'Reviewer findings',
  none: 'None.',
  blockingTag: '⛔ **blocking**',
  advisoryTag: '⚠️ advisory',
  blockingNote: (n) => `${n} blocking finding(s): approval is refused until changes are made.`,
  contentHash: 'Content hash',
  boundTo: 'Your decision is bound to exactly this content:',
  howToDecide: 'How to decide',
  withLogin: [
    '**More Actions → Send an Update → `decide`**, signed in as yourself, with this Data:',
    'To reject, make it `"decision": "reject", "reason": "…"`; to ask for changes, `"decision": "request-changes",',
    '"feedback": "…"`. Your login is who decides: no key, no terminal.',
  ],
  withData:
    '**More Actions → Send an Update → `decide`**, with this Data (your roster id filled in), then press Tab before\nSubmit:',
  withDataNotes: '`reject` needs `"reason"`, `request-changes` needs `"feedback"`.',
  signed: 'Decisions on this campaign are **signed**. Run, with your roster id:',
  signedThen: [
    'Then **More Actions → Send an Update → `decide`**, paste its output as Data within 5 minutes, press Tab, and',
    'Submit. (`--decision reject --note "why"` or `--decision request-changes --note "what"` for the others.)',
  ],
  rosterId: '<your roster id>',
  budgetReached: (step) => `Model budget reached · ${step}`,
  budgetSpent: (spent, limit, next, needed) => [
    `Spent ${spent} of ${limit}; the next call could cost up to`,
    `${next}, so at least ${needed} are needed.`,
  ],
  budgetWho: 'An approver in the plan raises the budget (signed) or stops the campaign:',
  budgetUpdate: '(or send the **budgetDecision** Update with the JSON `npx campaign budget … --print` prints).',
  outcomePublished: 'Outcome: published',
  outcomeRejected: 'Outcome: rejected',
  approvedBy: 'Approved by',
  decided: { approve: 'approve', reject: 'reject', 'request-changes': 'request-changes' },
  package: 'Package:',
  auditHead: 'Audit head:',
  by: 'By:',
  nobodyInTime: 'nobody (no decision in time)',
  reason: 'Reason:',
  receipt: {
    published: (who, count) => `Approved by ${who} (${count}). The campaign is being published now.`,
    recorded: (who, count, still, from) =>
      `Approval by ${who} recorded (${count}). Waiting for ${still} more approval${still === 1 ? '' : 's'}` +
      `${from ? `, one of them from ${from}` : ''}.`,
    rejected: (who) => `Rejected by ${who}. The campaign ends; nothing is published.`,
    changes: (who, round) =>
      `Changes requested by ${who}. The copywriter rewrites the variants; they come back for approval as round ${round}.`,
    count: (n, required) => `${n} of ${required}`,
  },
  refusal: {
    nothingPending: 'no approval is pending for this campaign',
    otherContent: (round) =>
      `contentHash does not match the content awaiting approval (round ${round}); reload Current Details`,
    requester: (person) => `${person} requested this campaign and may not decide on it`,
    requesterBudget: (person) => `${person} requested this campaign and may not decide on its budget`,
    outsider: (person, eligible) => `${person} is not an approver in this campaign's plan (${eligible})`,
    noKey: (approver) => `${approver} has no signing key in this campaign's plan, so their decision cannot be verified`,
    alreadyApproved: (approver) => `${approver} has already approved this content`,
    changeRoundsUsed: (rounds) => `all ${rounds} change rounds are used; approve or reject`,
    blocking: (n) => `the content has ${n} blocking review finding(s); request changes or reject`,
    mustInclude: (people) => `one of the approvals must come from: ${people}`,
  },
  notice: {
    awaiting: (id, round, deadline, to, url) =>
      `Campaign ${id} waits for your decision (round ${round}) until ${deadline}: ${to}. ${url}`,
    published: (id, to, url) => `Campaign ${id} was approved and published (for ${to}). ${url}`,
    rejected: (id, to, url) => `Campaign ${id} was rejected or ran out of time (for ${to}). ${url}`,
  },
};

const DE: ApproverTexts = {
  stage: {
    planning: 'Freigabe wird geplant',
    researching: 'Fakten werden recherchiert',
    briefing: 'Kreativ-Briefing wird geschrieben',
    writing: 'Varianten werden geschrieben',
    reviewing: 'Varianten werden geprüft',
    'awaiting-approval': 'Wartet auf Ihre Entscheidung',
    'awaiting-budget': 'Wartet auf eine Budgetentscheidung',
    publishing: 'Wird veröffentlicht',
    published: 'Veröffentlicht',
    rejected: 'Abgelehnt',
    failed: 'Fehlgeschlagen',
  },
  channel: { 'search-ad': 'Suchanzeige', email: 'E-Mail', social: 'Social-Media-Beitrag', display: 'Display-Anzeige' },
  dateLocale: 'de-DE',
  units: { day: ['Tag', 'Tage'], hour: ['Stunde', 'Stunden'], minute: ['Minute', 'Minuten'], passed: 'abgelaufen' },
  nobody: 'niemand',
  or: ' oder ',
  risk: (risk, required, mustInclude) =>
    `Risiko: **${risk}** · ${required} ${plural(required, 'Freigabe', 'Freigaben')} nötig` +
    (mustInclude ? `, eine davon von ${mustInclude}` : ''),
  modelUse: 'Modellnutzung',
  waiting: (round) => `Wartet auf Freigabe · Runde ${round}`,
  sinceRequest: (round, by) => `Geändert seit Runde ${round}, die ${by} zurückgeschickt hat mit:`,
  changedHeadline: 'Überschrift geändert, vorher',
  sameHeadline: 'Überschrift unverändert',
  changedBody: 'Text geändert',
  sameBody: 'Text unverändert',
  decideBy: 'Entscheiden bis:',
  left: (t) => `noch ${t} (ohne Entscheidung wird die Kampagne abgelehnt)`,
  approvedSoFar: 'Bisher freigegeben:',
  ofRequired: (n, required) => `${n} von ${required}`,
  mayStillDecide: 'Können noch entscheiden:',
  claims: (grounded, total) => `Aussagen mit belegten Fakten: **${grounded} von ${total}**`,
  claimsNotCounted: 'Aussagen mit belegten Fakten: für diese Kampagne nicht gezählt',
  citesNoFacts: 'Zitiert keine Fakten.',
  citedFacts: 'Zitierte Fakten:',
  findings: 'Befunde der Prüfung',
  none: 'Keine.',
  blockingTag: '⛔ **blockierend**',
  advisoryTag: '⚠️ Hinweis',
  blockingNote: (n) =>
    `${n} ${plural(n, 'blockierender Befund', 'blockierende Befunde')}: Freigabe erst nach Änderungen möglich.`,
  contentHash: 'Inhalts-Hash',
  boundTo: 'Ihre Entscheidung gilt genau diesem Inhalt:',
  howToDecide: 'So entscheiden Sie',
  withLogin: [
    '**More Actions → Send an Update → `decide`**, angemeldet als Sie selbst, mit diesen Data:',
    'Zum Ablehnen `"decision": "reject", "reason": "…"`, für Änderungswünsche `"decision": "request-changes",',
    '"feedback": "…"`. Ihre Anmeldung bestimmt, wer entscheidet: kein Schlüssel, kein Terminal.',
  ],
  withData:
    '**More Actions → Send an Update → `decide`**, mit diesen Data (Ihre Roster-ID eingetragen), dann Tab und\nSubmit:',
  withDataNotes: '`reject` braucht `"reason"`, `request-changes` braucht `"feedback"`.',
  signed: 'Entscheidungen zu dieser Kampagne werden **signiert**. Mit Ihrer Roster-ID ausführen:',
  signedThen: [
    'Dann **More Actions → Send an Update → `decide`**, die Ausgabe binnen 5 Minuten als Data einfügen, Tab, Submit.',
    '(`--decision reject --note "warum"` oder `--decision request-changes --note "was"` für die anderen.)',
  ],
  rosterId: '<Ihre Roster-ID>',
  budgetReached: (step) => `Modellbudget erreicht · ${step}`,
  budgetSpent: (spent, limit, next, needed) => [
    `Ausgegeben ${spent} von ${limit}; der nächste Aufruf kann bis zu`,
    `${next} kosten, also sind mindestens ${needed} nötig.`,
  ],
  budgetWho: 'Eine Person mit Freigaberecht erhöht das Budget (signiert) oder stoppt die Kampagne:',
  budgetUpdate:
    '(oder das Update **budgetDecision** mit dem JSON senden, das `npx campaign budget … --print` ausgibt).',
  outcomePublished: 'Ergebnis: veröffentlicht',
  outcomeRejected: 'Ergebnis: abgelehnt',
  approvedBy: 'Freigegeben von',
  decided: { approve: 'freigegeben', reject: 'abgelehnt', 'request-changes': 'Änderungen angefordert' },
  package: 'Paket:',
  auditHead: 'Audit-Kopf:',
  by: 'Von:',
  nobodyInTime: 'niemandem (keine Entscheidung rechtzeitig)',
  reason: 'Grund:',
  receipt: {
    published: (who, count) => `Freigegeben von ${who} (${count}). Die Kampagne wird jetzt veröffentlicht.`,
    recorded: (who, count, still, from) =>
      `Freigabe von ${who} erfasst (${count}). ${plural(still, 'Es fehlt noch', 'Es fehlen noch')} ${still} ` +
      `${plural(still, 'Freigabe', 'Freigaben')}${from ? `, eine davon von ${from}` : ''}.`,
    rejected: (who) => `Abgelehnt von ${who}. Die Kampagne endet; nichts wird veröffentlicht.`,
    changes: (who, round) =>
      `Änderungen angefordert von ${who}. Die Varianten werden überarbeitet und kommen als Runde ${round} zur Freigabe zurück.`,
    count: (n, required) => `${n} von ${required}`,
  },
  refusal: {
    nothingPending: 'für diese Kampagne wartet keine Freigabe',
    otherContent: (round) =>
      `contentHash passt nicht zum Inhalt, der auf Freigabe wartet (Runde ${round}); Current Details neu laden`,
    requester: (person) => `${person} hat diese Kampagne beauftragt und darf nicht darüber entscheiden`,
    requesterBudget: (person) => `${person} hat diese Kampagne beauftragt und darf nicht über ihr Budget entscheiden`,
    outsider: (person, eligible) => `${person} ist im Plan dieser Kampagne nicht zur Freigabe vorgesehen (${eligible})`,
    noKey: (approver) =>
      `${approver} hat im Plan dieser Kampagne keinen Signaturschlüssel; die Entscheidung ist nicht prüfbar`,
    alreadyApproved: (approver) => `${approver} hat diesen Inhalt bereits freigegeben`,
    changeRoundsUsed: (rounds) => `alle ${rounds} Änderungsrunden sind verbraucht; freigeben oder ablehnen`,
    blocking: (n) =>
      `der Inhalt hat ${n} ${plural(n, 'blockierenden Prüfbefund', 'blockierende Prüfbefunde')}; Änderungen anfordern oder ablehnen`,
    mustInclude: (people) => `eine der Freigaben muss kommen von: ${people}`,
  },
  notice: {
    awaiting: (id, round, deadline, to, url) =>
      `Kampagne ${id} wartet auf Ihre Entscheidung (Runde ${round}) bis ${deadline}: ${to}. ${url}`,
    published: (id, to, url) => `Kampagne ${id} wurde freigegeben und veröffentlicht (für ${to}). ${url}`,
    rejected: (id, to, url) => `Kampagne ${id} wurde abgelehnt oder ist abgelaufen (für ${to}). ${url}`,
  },
};

const TEXTS: Record<Locale, ApproverTexts> = { de: DE, en: EN };

/** The texts in `locale`; English where none is given (plans made before languages, brands that set none). */
export function approverTexts(locale: string | undefined): ApproverTexts {
  return TEXTS[locale as Locale] ?? EN;
}
