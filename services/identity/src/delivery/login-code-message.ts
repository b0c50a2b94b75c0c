/** What the code is for: signing in, adding the address to an account, or confirming it is you again. */
export type CodePurpose = 'SIGN_IN' | 'LINK' | 'REAUTH' | 'RECOVERY';

export interface LoginCodeMessageInput {
  locale: string | null;
  purpose?: CodePurpose;
  /** RECOVERY only: the one-time link support's recovery sends instead of a code. */
  recoveryLink?: string;
  code: string;
  tenantName: string;
  expiresInMinutes: number;
}

export interface LoginCodeMessage {
  subject: string;
  text: string;
  /** Short enough for one GSM-7 segment with a tenant name of usual length. */
  sms: string;
}

type Language = 'en' | 'nb';

/** Norwegian (`no`) and Nynorsk (`nn`) readers get Bokmål: closer to them than English. */
const NORWEGIAN = new Set(['nb', 'no', 'nn']);

export function messageLanguage(locale: string | null): Language {
  const primary =
    (locale ?? '')
      .trim()
      .toLowerCase()
      .split(/[-_,;\s]/)[0] ?? '';
  return NORWEGIAN.has(primary) ? 'nb' : 'en';
}

const EN_WHAT: Record<CodePurpose, string> = {
  SIGN_IN: 'sign-in code',
  LINK: 'code for adding this address to your account',
  REAUTH: 'confirmation code',
  RECOVERY: 'account recovery link',
};
const NB_WHAT: Record<CodePurpose, string> = {
  SIGN_IN: 'innloggingskoden din',
  LINK: 'koden for å legge til denne adressen på kontoen din',
  REAUTH: 'bekreftelseskoden din',
  RECOVERY: 'lenken for å gjenopprette kontoen din',
};

function capitalized(text: string): string {
  return text.charAt(0).toUpperCase() + text.slice(1);
}

const templates: Record<Language, (input: LoginCodeMessageInput) => LoginCodeMessage> = {
  en: ({ code, tenantName, expiresInMinutes: n, purpose = 'SIGN_IN' }) => ({
    subject: `${code} is your ${tenantName} ${EN_WHAT[purpose]}`,
    text: [
      'Hi,',
      '',
      `Your ${EN_WHAT[purpose]} for ${tenantName} is:`,
      '',
      `    ${code}`,
      '',
      `It expires in ${n} ${n === 1 ? 'minute' : 'minutes'}.`,
      '',
      'If you did not ask for this code, you can ignore this email.',
      '',
    ].join('\n'),
    sms: `${code} is your ${tenantName} ${EN_WHAT[purpose]}. It expires in ${n} min. Did not ask for it? Ignore this message.`,
  }),
  nb: ({ code, tenantName, expiresInMinutes: n, purpose = 'SIGN_IN' }) => ({
    subject: `${code} er ${NB_WHAT[purpose]} for ${tenantName}`,
    text: [
      'Hei,',
      '',
      `${capitalized(NB_WHAT[purpose])} for ${tenantName} er:`,
      '',
      `    ${code}`,
      '',
      `Den utløper om ${n} ${n === 1 ? 'minutt' : 'minutter'}.`,
      '',
      'Hvis du ikke ba om denne koden, kan du se bort fra denne e-posten.',
      '',
    ].join('\n'),
    sms: `${code} er ${NB_WHAT[purpose]} for ${tenantName}. Den utløper om ${n} min. Ba du ikke om den? Se bort fra meldingen.`,
  }),
};

const recoveryTemplates: Record<Language, (input: LoginCodeMessageInput & { recoveryLink: string }) => LoginCodeMessage> = {
  en: ({ tenantName, recoveryLink, expiresInMinutes: n }) => ({
    subject: `Recover your ${tenantName} account`,
    text: [
      'Hi,',
      '',
      `${tenantName} support started the recovery of your account at your request. Open this link to continue:`,
      '',
      `    ${recoveryLink}`,
      '',
      `It works once, for ${n} minutes. If you did not ask support for this, ignore this email and tell them.`,
      '',
    ].join('\n'),
    sms: `${tenantName}: recover your account at ${recoveryLink} (once, ${n} min). Did not ask for it? Ignore this message.`,
  }),
  nb: ({ tenantName, recoveryLink, expiresInMinutes: n }) => ({
    subject: `Gjenopprett kontoen din hos ${tenantName}`,
    text: [
      'Hei,',
      '',
      `Kundestøtten hos ${tenantName} har startet gjenoppretting av kontoen din etter ønske fra deg. Åpne denne lenken for å fortsette:`,
      '',
      `    ${recoveryLink}`,
      '',
      `Den virker én gang, i ${n} minutter. Hvis du ikke ba kundestøtten om dette, kan du se bort fra e-posten og si fra til dem.`,
      '',
    ].join('\n'),
    sms: `${tenantName}: gjenopprett kontoen din på ${recoveryLink} (én gang, ${n} min). Ba du ikke om det? Se bort fra meldingen.`,
  }),
};

export function loginCodeMessage(input: LoginCodeMessageInput): LoginCodeMessage {
  const language = messageLanguage(input.locale);
  if (input.purpose === 'RECOVERY' && input.recoveryLink) return recoveryTemplates[language]({ ...input, recoveryLink: input.recoveryLink });
  return templates[language](input);
}
