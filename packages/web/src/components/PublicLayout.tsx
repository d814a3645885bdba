import * as paths from "@samakki/shared/paths";
// The frame of the pages that need no account, apart from the signed-in Layout (Layout.tsx): the
// first screen carries only this, and the signed-in frame loads with the first signed-in page.
import type { ReactNode } from "react";
import { Link } from "wouter";
import { useT } from "../lib/i18n.tsx";
import { LanguageSwitcher } from "./LanguageSwitcher.tsx";

export function Brand() {
  const t = useT();
  return (
    <Link href={paths.home()} className="brand">
      <svg className="brand-mark" viewBox="0 0 32 32" aria-hidden="true" focusable="false">
        <rect width="32" height="32" rx="6" />
        <circle cx="11" cy="16" r="5" />
        <circle cx="21" cy="16" r="5" />
      </svg>
      <span>{t("app.name")}</span>
    </Link>
  );
}

/** Header and frame for pages that need no account: setup, sign-in, links from emails. */
export function PublicLayout({ children }: { children: ReactNode }) {
  const t = useT();
  return (
    <div className="shell">
      <a className="skip-link" href="#main">
        {t("nav.skipToContent")}
      </a>
      <header className="topbar">
        <div className="topbar-row">
          <Brand />
          <div className="topbar-tools">
            <LanguageSwitcher />
          </div>
        </div>
      </header>
      <main id="main" className="main main-narrow" tabIndex={-1}>
        {children}
      </main>
      <footer className="footer">{t("app.tagline")}</footer>
    </div>
  );
}
