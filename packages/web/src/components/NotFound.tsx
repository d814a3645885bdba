import { Link } from "wouter";
import { useT } from "../lib/i18n.tsx";
import { Card } from "./Card.tsx";
import { PageHeader } from "./Page.tsx";

/**
 * What an address the app has no page for shows: the app's own (app/router.tsx) and a section's,
 * whose routes are nested (campaigns, tasks, statements, letters), where such an address drew an
 * empty page under the header. The link is to the app's home, not the section's.
 */
export function NotFoundPage() {
  const t = useT();
  return (
    <>
      <PageHeader title={t("notFound.title")} />
      <Card>
        <p>{t("notFound.detail")}</p>
        <p>
          <Link className="lone-link" href="~/">
            {t("notFound.home")}
          </Link>
        </p>
      </Card>
    </>
  );
}
