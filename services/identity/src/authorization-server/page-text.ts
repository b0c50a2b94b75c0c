import type { PageLocale } from './page-html';

export interface PageText {
  signInTitle: (tenant: string) => string;
  identifierLabel: string;
  identifierOrPhoneLabel: string;
  continue: string;
  codeTitle: string;
  codeSentTo: (destination: string) => string;
  codeLabel: string;
  signIn: string;
  sendNewCode: string;
  useAnotherAddress: string;
  signOutTitle: (tenant: string) => string;
  signOut: string;
  staySignedIn: string;
  signedOutTitle: string;
  signedOut: string;
  errorTitle: string;
  errors: Record<PageErrorKey, string>;
}

export type PageErrorKey =
  | 'WRONG_CODE'
  | 'CODE_EXPIRED'
  | 'TOO_MANY_ATTEMPTS'
  | 'SEND_LIMITED'
  | 'INVALID_IDENTIFIER'
  | 'PHONE_NOT_ALLOWED'
  | 'ACCOUNT_DISABLED'
  | 'TENANT_SUSPENDED'
  | 'START_AGAIN'
  | 'GENERAL';

export const PAGE_TEXT: Record<PageLocale, PageText> = {
  en: {
    signInTitle: (tenant) => `Sign in to ${tenant}`,
    identifierLabel: 'Email',
    identifierOrPhoneLabel: 'Email or phone number',
    continue: 'Continue',
    codeTitle: 'Enter your code',
    codeSentTo: (destination) => `We sent a 6-digit code to ${destination}.`,
    codeLabel: 'Code',
    signIn: 'Sign in',
    sendNewCode: 'Send a new code',
    useAnotherAddress: 'Use another address',
    signOutTitle: (tenant) => `Sign out of ${tenant}?`,
    signOut: 'Sign out',
    staySignedIn: 'Stay signed in',
    signedOutTitle: 'Signed out',
    signedOut: 'You are signed out. You can close this page.',
    errorTitle: 'Sign-in failed',
    errors: {
      WRONG_CODE: 'That code is not right. Check it and try again.',
      CODE_EXPIRED: 'That code has expired. Ask for a new one.',
      TOO_MANY_ATTEMPTS: 'Too many tries with this code. Ask for a new one.',
      SEND_LIMITED: 'Too many codes were asked for. Wait a while and try again.',
      INVALID_IDENTIFIER: 'That is not an email address or phone number we can use.',
      PHONE_NOT_ALLOWED: 'Sign-in with a phone number is not available here. Use your email.',
      ACCOUNT_DISABLED: 'This account cannot sign in.',
      TENANT_SUSPENDED: 'Sign-in is not available right now.',
      START_AGAIN: 'This sign-in has expired. Go back to the app and start again.',
      GENERAL: 'Something went wrong. Go back to the app and start again.',
    },
  },
  nb: {
    signInTitle: (tenant) => `Logg inn på ${tenant}`,
    identifierLabel: 'E-post',
    identifierOrPhoneLabel: 'E-post eller telefonnummer',
    continue: 'Fortsett',
    codeTitle: 'Skriv inn koden',
    codeSentTo: (destination) => `Vi sendte en sekssifret kode til ${destination}.`,
    codeLabel: 'Kode',
    signIn: 'Logg inn',
    sendNewCode: 'Send en ny kode',
    useAnotherAddress: 'Bruk en annen adresse',
    signOutTitle: (tenant) => `Logge ut av ${tenant}?`,
    signOut: 'Logg ut',
    staySignedIn: 'Forbli innlogget',
    signedOutTitle: 'Logget ut',
    signedOut: 'Du er logget ut. Du kan lukke denne siden.',
    errorTitle: 'Innloggingen mislyktes',
    errors: {
      WRONG_CODE: 'Koden er feil. Sjekk den og prøv igjen.',
      CODE_EXPIRED: 'Koden er utløpt. Be om en ny.',
      TOO_MANY_ATTEMPTS: 'For mange forsøk med denne koden. Be om en ny.',
      SEND_LIMITED: 'Det er bedt om for mange koder. Vent litt og prøv igjen.',
      INVALID_IDENTIFIER: 'Det er ikke en e-postadresse eller et telefonnummer vi kan bruke.',
      PHONE_NOT_ALLOWED: 'Innlogging med telefonnummer er ikke tilgjengelig her. Bruk e-post.',
      ACCOUNT_DISABLED: 'Denne kontoen kan ikke logge inn.',
      TENANT_SUSPENDED: 'Innlogging er ikke tilgjengelig akkurat nå.',
      START_AGAIN: 'Denne innloggingen er utløpt. Gå tilbake til appen og start på nytt.',
      GENERAL: 'Noe gikk galt. Gå tilbake til appen og start på nytt.',
    },
  },
};
