import { useQueryClient } from "@tanstack/react-query";
import { useState } from "react";
import { Link, useSearchParams } from "wouter";
import { Button } from "../../../components/Button.tsx";
import { Card } from "../../../components/Card.tsx";
import { FormProblem, Notice, useForm } from "../../../components/Form.tsx";
import { PageHeader } from "../../../components/Page.tsx";
import { useT } from "../../../lib/i18n.tsx";
import { meQuery } from "../../../lib/session.ts";
import { undoEmailChange } from "../api/auth.ts";

/**
 * The link sent to the old address after an email change: restores that address and ends every
 * session. Confirms on a click rather than on load, so link scanners in mail systems cannot use it.
 */
export function UndoEmailChangePage() {
  const t = useT();
  const [params] = useSearchParams();
  const token = params.get("token") ?? "";
  const client = useQueryClient();
  const [done, setDone] = useState(false);
  const form = useForm(() => undoEmailChange(token), {
    onSuccess: () => {
      setDone(true);
      void client.invalidateQueries({ queryKey: meQuery.queryKey });
    },
  });

  return (
    <>
      <PageHeader title={t("undoEmailChange.title")} />
      <Card>
        {!token ? (
          <Notice kind="error" title={t("errors.token_invalid.title")}>
            <p>{t("errors.token_invalid.detail")}</p>
          </Notice>
        ) : done ? (
          <Notice kind="success" title={t("undoEmailChange.doneTitle")}>
            <p>{t("undoEmailChange.doneDetail")}</p>
            <p>
              <Link href="/forgot-password">{t("undoEmailChange.resetPassword")}</Link>
            </p>
          </Notice>
        ) : (
          <form noValidate onSubmit={form.onSubmit}>
            <p>{t("undoEmailChange.intro")}</p>
            <FormProblem problem={form.problem} unmatched={form.unmatched} />
            <div className="form-actions">
              <Button type="submit" pending={form.pending}>
                {t("undoEmailChange.submit")}
              </Button>
            </div>
          </form>
        )}
      </Card>
    </>
  );
}
