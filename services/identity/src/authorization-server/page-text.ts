import type { PageLocale } from './page-html';

export interface PageText {
  signInTitle: (tenant: string) => string;
  identifierLabel: string;
  identifierOrPhoneLabel: string;
  continue: string;
  continueWith: (provider: string) => string;
  orUseAProvider: string;
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
  deviceTitle: string;
  deviceInstructions: string;
  deviceCodeLabel: string;
  deviceConfirmTitle: string;
  deviceConfirm: (client: string) => string;
  deviceConfirmWarning: string;
  deviceAllow: string;
  deviceDeny: string;
  deviceDoneTitle: string;
  deviceDone: (client: string) => string;
  consentTitle: (client: string) => string;
  consentAsks: (client: string, tenant: string) => string;
  consentContinue: (client: string) => string;
  signedInAs: (account: string) => string;
  consentScopes: Record<string, string>;
  consentAllow: string;
  consentDeny: string;
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
  | 'DEVICE_CODE_MISSING'
  | 'DEVICE_CODE_UNKNOWN'
  | 'DEVICE_CODE_EXPIRED'
  | 'DEVICE_CODE_USED'
  | 'DEVICE_ABORTED'
  | 'PROVIDER_FAILED'
  | 'GENERAL';

export const PAGE_TEXT: Record<PageLocale, PageText> = {
  en: {
    signInTitle: (tenant) => `Sign in to ${tenant}`,
    identifierLabel: 'Email',
    identifierOrPhoneLabel: 'Email or phone number',
    continue: 'Continue',
    continueWith: (provider) => `Continue with ${provider}`,
    orUseAProvider: 'Or sign in with',
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
    deviceTitle: 'Connect a device',
    deviceInstructions: 'Enter the code shown on your device.',
    deviceCodeLabel: 'Code from your device',
    deviceConfirmTitle: 'Is this your device?',
    deviceConfirm: (client) => `${client} wants to sign in to your account. Check that your device shows this code:`,
    deviceConfirmWarning: 'If you did not start this, or the code is different, choose Deny.',
    deviceAllow: 'Allow',
    deviceDeny: 'Deny',
    deviceDoneTitle: 'Device connected',
    deviceDone: (client) => `${client} is signed in. You can go back to your device and close this page.`,
    consentTitle: (client) => `Allow ${client}?`,
    consentAsks: (client, tenant) => `${client} is not made by ${tenant}. It asks to:`,
    consentContinue: (client) => `Continue to ${client}? It will be able to:`,
    signedInAs: (account) => `Signed in as ${account}.`,
    consentScopes: {
      openid: 'Know who you are',
      profile: 'See your name, handle, language and time zone',
      email: 'See your email address',
      phone: 'See your phone number',
      offline_access: 'Stay signed in when you are not using it',
    },
    consentAllow: 'Allow',
    consentDeny: 'Deny',
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
      DEVICE_CODE_MISSING: 'Enter the code shown on your device.',
      DEVICE_CODE_UNKNOWN: 'That code is not right. Check the code on your device and try again.',
      DEVICE_CODE_EXPIRED: 'That code has expired. Start again on your device to get a new one.',
      DEVICE_CODE_USED: 'That code has already been used. Start again on your device to get a new one.',
      DEVICE_ABORTED: 'The device was not connected. You can close this page.',
      PROVIDER_FAILED: 'Signing in there did not work. Try again, or use your email.',
      GENERAL: 'Something went wrong. Go back to the app and start again.',
    },
  },
  nb: {
    signInTitle: (tenant) => `Logg inn på ${tenant}`,
    identifierLabel: 'E-post',
    identifierOrPhoneLabel: 'E-post eller telefonnummer',
    continue: 'Fortsett',
    continueWith: (provider) => `Fortsett med ${provider}`,
    orUseAProvider: 'Eller logg inn med',
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
    deviceTitle: 'Koble til en enhet',
    deviceInstructions: 'Skriv inn koden som vises på enheten din.',
    deviceCodeLabel: 'Kode fra enheten',
    deviceConfirmTitle: 'Er dette enheten din?',
    deviceConfirm: (client) => `${client} vil logge inn på kontoen din. Sjekk at enheten viser denne koden:`,
    deviceConfirmWarning: 'Hvis du ikke startet dette, eller koden er en annen, velg Avslå.',
    deviceAllow: 'Tillat',
    deviceDeny: 'Avslå',
    deviceDoneTitle: 'Enheten er koblet til',
    deviceDone: (client) => `${client} er logget inn. Du kan gå tilbake til enheten og lukke denne siden.`,
    consentTitle: (client) => `Gi tilgang til ${client}?`,
    consentAsks: (client, tenant) => `${client} er ikke laget av ${tenant}. Appen ber om å:`,
    consentContinue: (client) => `Fortsette til ${client}? Appen vil kunne:`,
    signedInAs: (account) => `Logget inn som ${account}.`,
    consentScopes: {
      openid: 'Vite hvem du er',
      profile: 'Se navnet, brukernavnet, språket og tidssonen din',
      email: 'Se e-postadressen din',
      phone: 'Se telefonnummeret ditt',
      offline_access: 'Holde deg innlogget når du ikke bruker den',
    },
    consentAllow: 'Tillat',
    consentDeny: 'Avslå',
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
      DEVICE_CODE_MISSING: 'Skriv inn koden som vises på enheten din.',
      DEVICE_CODE_UNKNOWN: 'Koden er feil. Sjekk koden på enheten og prøv igjen.',
      DEVICE_CODE_EXPIRED: 'Koden er utløpt. Start på nytt på enheten for å få en ny.',
      DEVICE_CODE_USED: 'Koden er allerede brukt. Start på nytt på enheten for å få en ny.',
      DEVICE_ABORTED: 'Enheten ble ikke koblet til. Du kan lukke denne siden.',
      PROVIDER_FAILED: 'Innloggingen der fungerte ikke. Prøv igjen, eller bruk e-post.',
      GENERAL: 'Noe gikk galt. Gå tilbake til appen og start på nytt.',
    },
  },
};
