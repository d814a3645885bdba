import * as paths from "@samakki/shared/paths";
import { useQuery } from "@tanstack/react-query";
import { Notice } from "../../../components/Form.tsx";
import { useT } from "../../../lib/i18n.tsx";
import { twoFactorRequirementQuery } from "../api/account.ts";

/** The page people are sent to while a coalition requires a second factor they do not have yet. */
export const TWO_FACTOR_SETUP_PATH = paths.account();

/**
 * Whether the signed-in person must set up two-factor authentication before anything else
 * (a coalition they coordinate or represent an organisation in requires it). The API refuses
 * their other requests with 403 `two_factor_required`; the shell uses this to send them to setup.
 */
export function useTwoFactorGate(signedIn: boolean): { pending: boolean; blocked: boolean } {
  const requirement = useQuery({ ...twoFactorRequirementQuery, enabled: signedIn });
  if (!signedIn) return { pending: false, blocked: false };
  if (requirement.isPending) return { pending: true, blocked: false };
  const data = requirement.data;
  return { pending: false, blocked: Boolean(data?.required && !data.satisfied) };
}

/** Shown on the account page while the gate is closed. */
export function TwoFactorRequiredNotice() {
  const t = useT();
  const requirement = useQuery(twoFactorRequirementQuery);
  if (!requirement.data?.required || requirement.data.satisfied) return null;
  return (
    <Notice kind="warning" title={t("twoFactorGate.title")}>
      <p data-testid="two-factor-required">{t("twoFactorGate.detail")}</p>
    </Notice>
  );
}
