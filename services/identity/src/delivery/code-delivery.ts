import type { EmailSender } from './email-sender';
import { loginCodeMessage, type CodePurpose } from './login-code-message';
import type { SmsSender } from './sms-sender';

export interface CodeDeliveryRequest {
  channel: 'EMAIL' | 'PHONE';
  to: string;
  code: string;
  locale: string | null;
  tenantName: string;
  expiresInMinutes: number;
  purpose?: CodePurpose;
  recoveryLink?: string;
}

export interface CodeDelivery {
  deliver(request: CodeDeliveryRequest): Promise<void>;
  close(): Promise<void>;
}

/** Sends a one-time sign-in code by email or SMS, in the recipient's language. */
export function createCodeDelivery({ email, sms }: { email: EmailSender; sms: SmsSender }): CodeDelivery {
  return {
    async deliver({ channel, to, code, locale, tenantName, expiresInMinutes, purpose, recoveryLink }) {
      const message = loginCodeMessage({
        locale,
        code,
        tenantName,
        expiresInMinutes,
        ...(purpose ? { purpose } : {}),
        ...(recoveryLink ? { recoveryLink } : {}),
      });
      if (channel === 'EMAIL') await email.send({ to, subject: message.subject, text: message.text });
      else await sms.send({ to, text: message.sms });
    },
    close: () => email.close(),
  };
}
