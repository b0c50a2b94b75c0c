export interface LoginCodeMessageInput {
  locale: string | null;
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

const templates: Record<Language, (input: LoginCodeMessageInput) => LoginCodeMessage> = {
  en: ({ code, tenantName, expiresInMinutes: n }) => ({
    subject: `${code} is your ${tenantName} sign-in code`,
    text: [
      'Hi,',
      '',
      `Your sign-in code for ${tenantName} is:`,
      '',
      `    ${code}`,
      '',
      `It expires in ${n} ${n === 1 ? 'minute' : 'minutes'}.`,
      '',
      'If you did not ask for this code, you can ignore this email.',
      '',
    ].join('\n'),
    sms: `${code} is your ${tenantName} sign-in code. It expires in ${n} min. Did not ask for it? Ignore this message.`,
  }),
  nb: ({ code, tenantName, expiresInMinutes: n }) => ({
    subject: `${code} er innloggingskoden din for ${tenantName}`,
    text: [
      'Hei,',
      '',
      `Innloggingskoden din for ${tenantName} er:`,
      '',
      `    ${code}`,
      '',
      `Den utløper om ${n} ${n === 1 ? 'minutt' : 'minutter'}.`,
      '',
      'Hvis du ikke ba om denne koden, kan du se bort fra denne e-posten.',
      '',
    ].join('\n'),
    sms: `${code} er innloggingskoden din for ${tenantName}. Den utløper om ${n} min. Ba du ikke om den? Se bort fra meldingen.`,
  }),
};

export function loginCodeMessage(input: LoginCodeMessageInput): LoginCodeMessage {
  return templates[messageLanguage(input.locale)](input);
}
