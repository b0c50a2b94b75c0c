import { ACTIVITY_SENTENCES, dataReader, type FeedLanguage } from './activity-sentences';

/** The sentence for people reading a feed, in `language`; types this build does not know still read sensibly. */
export function auditSummary(type: string, data: Record<string, unknown>, language: FeedLanguage = 'en'): string {
  const sentences = (
    ACTIVITY_SENTENCES as Record<string, (typeof ACTIVITY_SENTENCES)[keyof typeof ACTIVITY_SENTENCES] | undefined>
  )[type];
  return sentences ? sentences[language](dataReader(data)) : genericSummary(type, language);
}

/** "identity.identity.removal_requested" → "Identity removal requested" (nb: "Hendelse: identity removal requested"). */
function genericSummary(type: string, language: FeedLanguage): string {
  const [, aggregate, verb] = type.split('.');
  if (!aggregate || !verb) return language === 'nb' ? 'Hendelse registrert' : 'Event recorded';
  const sentence = `${aggregate} ${verb}`.replace(/_/g, ' ');
  return language === 'nb' ? `Hendelse: ${sentence}` : sentence.charAt(0).toUpperCase() + sentence.slice(1);
}
