import { ACTIVITY_SENTENCES, dataReader, type FeedLanguage } from './activity-sentences';

/** A short sentence for people reading an activity feed; types this build does not know still read sensibly. */
export function auditSummary(type: string, data: Record<string, unknown>, language: FeedLanguage = 'en'): string {
  const sentences = (
    ACTIVITY_SENTENCES as Record<string, (typeof ACTIVITY_SENTENCES)[keyof typeof ACTIVITY_SENTENCES] | undefined>
  )[type];
  return sentences ? sentences[language](dataReader(data)) : genericSummary(type);
}

/** "identity.identity.removal_requested" → "Identity removal requested". */
function genericSummary(type: string): string {
  const [, aggregate, verb] = type.split('.');
  if (!aggregate || !verb) return 'Event recorded';
  const sentence = `${aggregate} ${verb}`.replace(/_/g, ' ');
  return sentence.charAt(0).toUpperCase() + sentence.slice(1);
}
