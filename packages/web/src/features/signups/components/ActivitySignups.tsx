import type { MeCoalition } from "@samakki/shared/auth";
import type { Activity, Campaign } from "@samakki/shared/campaigns";
import * as paths from "@samakki/shared/paths";
import type { Signup, SignupCount } from "@samakki/shared/signups";
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { useState } from "react";
import { Button } from "../../../components/Button.tsx";
import { useConfirm } from "../../../components/ConfirmDialog.tsx";
import { QueryView } from "../../../components/QueryView.tsx";
import { formatNumber, useDateFormat } from "../../../lib/format.ts";
import { useLanguage, useT } from "../../../lib/i18n.tsx";
import { confirmByPhone, removeSignup, signupCountsQuery, signupListQuery, signupsKey } from "../api/signups.ts";

type Props = { coalition: MeCoalition; campaign: Campaign; activity: Activity };

/** The pending column for the campaign's owners only: the API gives the others confirmed counts alone. */
function CountsTable({ counts, activity, pending }: { counts: SignupCount[]; activity: Activity; pending: boolean }) {
  const t = useT();
  const { lang } = useLanguage();
  const rows: { key: string; label: string; count: SignupCount | undefined }[] =
    activity.kind === "march" && activity.stages.length > 0
      ? activity.stages.map((s) => ({
          key: String(s.position),
          label: `${t("signups.panel.stage", { position: s.position })}${t("common.labelSeparator")}${s.from} → ${s.to}`,
          count: counts.find((c) => c.position === s.position),
        }))
      : [{ key: "whole", label: t("signups.panel.wholeActivity"), count: counts.find((c) => c.position === null) }];
  return (
    <table className="table signup-counts">
      <thead>
        <tr>
          <th scope="col">{t("signups.panel.stages")}</th>
          <th scope="col">{t("signups.panel.people")}</th>
          {pending ? <th scope="col">{t("signups.panel.pending")}</th> : null}
        </tr>
      </thead>
      <tbody>
        {rows.map((r) => (
          <tr key={r.key} data-position={r.key}>
            <th scope="row">{r.label}</th>
            <td className="signup-people">{formatNumber(r.count?.people ?? 0, lang)}</td>
            {pending ? <td>{formatNumber(r.count?.pendingPeople ?? 0, lang)}</td> : null}
          </tr>
        ))}
      </tbody>
    </table>
  );
}

function SignupRow({ props, signup }: { props: Props; signup: Signup }) {
  const t = useT();
  const { lang } = useLanguage();
  const { dateTime } = useDateFormat(props.coalition.timeZone);
  const client = useQueryClient();
  const [dialog, confirm] = useConfirm();
  const key = signupsKey(props.coalition.id, props.activity.id);
  const refresh = () => client.invalidateQueries({ queryKey: key });
  const phone = useMutation({
    mutationFn: () => confirmByPhone(props.coalition.id, props.campaign.id, props.activity.id, signup.id),
    onSettled: refresh,
  });
  const remove = useMutation({
    mutationFn: () => removeSignup(props.coalition.id, props.campaign.id, props.activity.id, signup.id),
    onSettled: refresh,
  });
  const how =
    signup.status === "pending" || !signup.confirmedAt
      ? t("signups.panel.notConfirmed")
      : signup.confirmedVia === "phone"
        ? t("signups.panel.byPhone", { name: signup.confirmedBy?.displayName ?? "—", date: dateTime(signup.confirmedAt) })
        : t("signups.panel.byEmail", { date: dateTime(signup.confirmedAt) });
  return (
    <li className="signup-item">
      {dialog}
      <p className="signup-name">
        <strong>{signup.name}</strong>
        {signup.guests > 0 ? ` + ${formatNumber(signup.guests, lang)}` : ""}
      </p>
      <dl className="signup-facts">
        <dt>{t("signups.panel.contact")}</dt>
        <dd>
          {signup.email ? <a href={`mailto:${signup.email}`}>{signup.email}</a> : null}
          {signup.email && signup.phone ? " · " : null}
          {signup.phone ? <a href={`tel:${signup.phone.replace(/[^\d+]/g, "")}`}>{signup.phone}</a> : null}
        </dd>
        <dt>{t("signups.panel.guests")}</dt>
        <dd>{formatNumber(signup.guests, lang)}</dd>
        <dt>{t("signups.panel.stages")}</dt>
        <dd>
          {signup.positions.length > 0 ? signup.positions.map((p) => formatNumber(p, lang)).join(", ") : t("signups.panel.wholeActivity")}
        </dd>
        <dt>{t("signups.panel.status")}</dt>
        <dd>{how}</dd>
      </dl>
      <div className="row-actions">
        {signup.status === "pending" ? (
          <Button small variant="secondary" pending={phone.isPending} onClick={() => phone.mutate()}>
            {t("signups.panel.confirmByPhone")}
          </Button>
        ) : null}
        <Button
          small
          variant="danger"
          pending={remove.isPending}
          onClick={() => {
            void confirm({
              title: t("signups.panel.removeConfirm"),
              consequence: signup.name,
              confirmLabel: t("signups.panel.remove"),
            }).then((ok) => ok && remove.mutate());
          }}
        >
          {t("signups.panel.remove")}
        </Button>
      </div>
      {phone.isError || remove.isError ? <p className="field-error">{t("signups.panel.actionError")}</p> : null}
    </li>
  );
}

function SignupTable(props: Props) {
  const t = useT();
  const query = useQuery(signupListQuery(props.coalition.id, props.campaign.id, props.activity.id));
  return (
    <QueryView query={query} empty={t("signups.panel.empty")} isEmpty={(list) => list.items.length === 0}>
      {(list) => (
        <ul className="signup-list">
          {list.items.map((s) => (
            <SignupRow key={s.id} props={props} signup={s} />
          ))}
        </ul>
      )}
    </QueryView>
  );
}

function SignupsBody(props: Props) {
  const t = useT();
  const counts = useQuery(signupCountsQuery(props.coalition.id, props.campaign.id, props.activity.id));
  return (
    <QueryView query={counts}>
      {(data) => (
        <div className="stack signups-panel">
          <CountsTable counts={data.counts} activity={props.activity} pending={data.canManage} />
          {data.canManage ? <SignupTable {...props} /> : <p className="muted">{t("signups.panel.countsOnly")}</p>}
          {props.campaign.visibility === "public" ? (
            <p>
              <a className="lone-link" href={paths.publicJoin(props.coalition.slug, props.campaign.slug)}>
                {t("signups.panel.publicLink")}
              </a>
            </p>
          ) : null}
        </div>
      )}
    </QueryView>
  );
}

/** Under an activity on the campaign page: people signed up per stage; for owners, the list with its actions. Loaded when opened. */
export function ActivitySignups(props: Props) {
  const t = useT();
  const [open, setOpen] = useState(false);
  return (
    <details className="signups" onToggle={(e) => setOpen(e.currentTarget.open)}>
      <summary>{t("signups.panel.open")}</summary>
      {open ? <SignupsBody {...props} /> : null}
    </details>
  );
}
