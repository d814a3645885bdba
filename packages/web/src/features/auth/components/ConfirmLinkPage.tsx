import { useQueryClient } from "@tanstack/react-query";
import { type ReactNode, useState } from "react";
import { useSearchParams } from "wouter";
import { Button } from "../../../components/Button.tsx";
import { Card } from "../../../components/Card.tsx";
import { FormProblem, Notice, useForm } from "../../../components/Form.tsx";
import { PageHeader } from "../../../components/Page.tsx";
import { useT } from "../../../lib/i18n.tsx";
import { meQuery } from "../../../lib/session.ts";

/**
 * A page behind an emailed single-use link (`?token=`) whose action changes the account. It acts
 * on a click rather than on load, so link scanners in mail systems cannot use the token; then it
 * refreshes who is signed in.
 */
export function ConfirmLinkPage({
  title,
  intro,
  submit,
  doneTitle,
  done,
  action,
}: {
  title: string;
  intro: string;
  submit: string;
  doneTitle: string;
  done: ReactNode;
  action: (token: string) => Promise<unknown>;
}) {
  const t = useT();
  const [params] = useSearchParams();
  const token = params.get("token") ?? "";
  const client = useQueryClient();
  const [isDone, setDone] = useState(false);
  const form = useForm(() => action(token), {
    onSuccess: () => {
      setDone(true);
      void client.invalidateQueries({ queryKey: meQuery.queryKey });
    },
  });

  return (
    <>
      <PageHeader title={title} />
      <Card>
        {!token ? (
          <Notice kind="error" title={t("errors.token_invalid.title")}>
            <p>{t("errors.token_invalid.detail")}</p>
          </Notice>
        ) : isDone ? (
          <Notice kind="success" title={doneTitle}>
            {done}
          </Notice>
        ) : (
          <form noValidate onSubmit={form.onSubmit}>
            <p>{intro}</p>
            <FormProblem problem={form.problem} unmatched={form.unmatched} />
            <div className="form-actions">
              <Button type="submit" pending={form.pending}>
                {submit}
              </Button>
            </div>
          </form>
        )}
      </Card>
    </>
  );
}
