import type { InfiniteQueryObserverResult, QueryObserverResult } from "@tanstack/react-query";
import type { ReactNode } from "react";
import { useT } from "../lib/i18n.tsx";
import { Button } from "./Button.tsx";
import { QueryView } from "./QueryView.tsx";
import { ErrorNotice } from "./Status.tsx";

type Props<T extends { id: string }> = {
  /** The pending invitations. */
  query: QueryObserverResult<T[], unknown> | InfiniteQueryObserverResult<T[], unknown>;
  /** Shown when there is none. */
  empty: string;
  /** Offer "Retry" when the list failed to load (default true). */
  retry?: boolean;
  /** For tests that look the list up. */
  testId?: string;
  /** The row's title: who is invited. */
  title: (invitation: T) => ReactNode;
  /** The line under it (address, role, until when the link is valid). */
  meta: (invitation: T) => ReactNode;
  /** Asks before revoking (useConfirm's `confirm`, whose dialog the page places); resolves true to go on. */
  confirmRevoke: (invitation: T) => Promise<boolean>;
  /** The revoking mutation, called with the invitation's id. */
  revoke: { mutate: (id: string) => void; isPending: boolean; isError: boolean; error: unknown; variables: string | undefined };
};

/** Pending invitations, each with a Revoke button that asks first; the revoking error under the list. */
export function InvitationList<T extends { id: string }>({ query, empty, retry, testId, title, meta, confirmRevoke, revoke }: Props<T>) {
  const t = useT();
  return (
    <>
      <QueryView query={query} retry={retry} empty={empty}>
        {(invitations) => (
          <ul className="rows" data-testid={testId}>
            {invitations.map((invitation) => (
              <li key={invitation.id} className="row">
                <div className="row-main">
                  <span className="row-title">{title(invitation)}</span>
                  <p className="row-meta">{meta(invitation)}</p>
                </div>
                <Button
                  variant="danger"
                  small
                  pending={revoke.isPending && revoke.variables === invitation.id}
                  onClick={() => void confirmRevoke(invitation).then((ok) => ok && revoke.mutate(invitation.id))}
                >
                  {t("common.revoke")}
                </Button>
              </li>
            ))}
          </ul>
        )}
      </QueryView>
      {revoke.isError ? <ErrorNotice error={revoke.error} /> : null}
    </>
  );
}
