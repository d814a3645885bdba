import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { useState } from "react";
import { Card } from "../../../components/Card.tsx";
import { ErrorNotice, Loading } from "../../../components/Status.tsx";
import { useT } from "../../../lib/i18n.tsx";
import { twoFactorRequirementQuery } from "../../account/api/account.ts";
import { coalitionSettingsQuery, updateCoalitionSettings } from "../api/members.ts";

/** Coordinators choose whether coordinators and representatives must have two-factor authentication (audited by the API). */
export function CoalitionSecurityCard({ coalitionId }: { coalitionId: string }) {
  const t = useT();
  const client = useQueryClient();
  const coalition = useQuery(coalitionSettingsQuery(coalitionId));
  const [saved, setSaved] = useState(false);
  const save = useMutation({
    mutationFn: (requireTwoFactor: boolean) => updateCoalitionSettings(coalitionId, { requireTwoFactor }),
    onSuccess: (updated) => {
      client.setQueryData(coalitionSettingsQuery(coalitionId).queryKey, updated);
      // The coordinator may now be asked to set up a second factor themselves.
      void client.invalidateQueries({ queryKey: twoFactorRequirementQuery.queryKey });
      setSaved(true);
    },
  });
  return (
    <Card title={t("coalitionSecurity.title")}>
      {coalition.isPending ? <Loading /> : null}
      {coalition.isError ? <ErrorNotice error={coalition.error} onRetry={() => void coalition.refetch()} /> : null}
      {coalition.data ? (
        <>
          <label className="choice">
            <input
              type="checkbox"
              name="requireTwoFactor"
              checked={save.isPending ? save.variables : coalition.data.requireTwoFactor}
              disabled={save.isPending}
              onChange={(e) => {
                setSaved(false);
                save.mutate(e.currentTarget.checked);
              }}
            />{" "}
            {t("coalitionSecurity.requireTwoFactor")}
          </label>
          <p className="muted">{t("coalitionSecurity.requireTwoFactorHint")}</p>
          {saved ? (
            <p role="status" className="muted">
              {t("coalitionSecurity.saved")}
            </p>
          ) : null}
          {save.isError ? <ErrorNotice error={save.error} /> : null}
        </>
      ) : null}
    </Card>
  );
}
