import { EVENT_CONTRACTS } from '@messngr/contracts';
import { ACTIVITY_SENTENCES, dataReader } from './activity-sentences';
import { auditSummary } from './audit-summary';

describe('the activity feed’s sentences', () => {
  it('have an English and a Norwegian sentence for every event type the system publishes', () => {
    const missing = EVENT_CONTRACTS.map((contract) => contract.type).filter((type) => !(type in ACTIVITY_SENTENCES));
    expect(missing).toEqual([]);
    for (const [type, sentences] of Object.entries(ACTIVITY_SENTENCES)) {
      for (const sentence of [sentences.en(dataReader({})), sentences.nb(dataReader({}))]) {
        expect({ type, sentence }).toEqual({ type, sentence: expect.stringMatching(/^\S.*\S$/) });
        expect(sentence).not.toMatch(/undefined|null|\[object/);
      }
    }
  });

  it('name identities as people recognise them, never by their value', () => {
    const github = { identity: { badgeKey: 'github', displayValue: 'mikalv' } };
    expect(auditSummary('identity.identity.linked', github)).toBe('Linked GitHub (mikalv)');
    expect(auditSummary('identity.identity.revoked', { identity: { badgeKey: 'facebook', displayValue: '' } })).toBe(
      'Revoked Facebook identity',
    );
    expect(auditSummary('identity.identity.removed', { identity: { badgeKey: 'email', displayValue: 'k***@example.com' } })).toBe(
      'Removed email k***@example.com',
    );
    expect(auditSummary('identity.identity.linked', github, 'nb')).toBe('Koblet til GitHub (mikalv)');
  });

  it('say where someone signed in when the event names the device', () => {
    expect(auditSummary('identity.session.started', { device: { name: 'Pixel 8' } })).toBe('Signed in on Pixel 8');
    expect(auditSummary('identity.session.started', { device: null }, 'nb')).toBe('Logget inn');
    expect(auditSummary('identity.account.recovery_started', { method: 'OPERATOR' })).toBe(
      'Support started recovering the account',
    );
  });

  it('render every type in both languages as the feed does, never by the fallback built from the type', () => {
    for (const { type } of EVENT_CONTRACTS) {
      const [en, nb] = [auditSummary(type, {}, 'en'), auditSummary(type, {}, 'nb')];
      expect({ type, en, nb }).toEqual({
        type,
        en: expect.not.stringMatching(/^Hendelse/),
        nb: expect.not.stringMatching(/^Hendelse/),
      });
      expect({ type, differs: en !== nb }).toEqual({ type, differs: true });
    }
  });

  it('mask an address that arrives whole', () => {
    expect(auditSummary('identity.identity.removed', { identity: { badgeKey: 'email', displayValue: 'kari@example.com' } })).toBe(
      'Removed email k***@example.com',
    );
  });

  it('read a type this build does not know from its name', () => {
    expect(auditSummary('identity.identity.teleported', {})).toBe('Identity teleported');
  });
});
