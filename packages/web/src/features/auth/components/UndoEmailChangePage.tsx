import * as paths from "@samakki/shared/paths";
import { Link } from "wouter";
import { useT } from "../../../lib/i18n.tsx";
import { undoEmailChange } from "../api/auth.ts";
import { ConfirmLinkPage } from "./ConfirmLinkPage.tsx";

/** The link sent to the old address after an email change: restores that address and ends every session. */
export function UndoEmailChangePage() {
  const t = useT();
  return (
    <ConfirmLinkPage
      title={t("undoEmailChange.title")}
      intro={t("undoEmailChange.intro")}
      submit={t("undoEmailChange.submit")}
      doneTitle={t("undoEmailChange.doneTitle")}
      done={
        <>
          <p>{t("undoEmailChange.doneDetail")}</p>
          <p>
            <Link className="lone-link" href={paths.forgotPassword()}>
              {t("undoEmailChange.resetPassword")}
            </Link>
          </p>
        </>
      }
      action={undoEmailChange}
    />
  );
}
