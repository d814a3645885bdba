import * as paths from "@samakki/shared/paths";
import { Link } from "wouter";
import { useT } from "../../../lib/i18n.tsx";
import { verifyEmail } from "../api/auth.ts";
import { ConfirmLinkPage } from "./ConfirmLinkPage.tsx";

export function VerifyEmailPage() {
  const t = useT();
  return (
    <ConfirmLinkPage
      title={t("verify.title")}
      intro={t("verify.intro")}
      submit={t("verify.submit")}
      doneTitle={t("verify.doneTitle")}
      done={
        <p>
          <Link href={paths.home()}>{t("common.continue")}</Link>
        </p>
      }
      action={verifyEmail}
    />
  );
}
