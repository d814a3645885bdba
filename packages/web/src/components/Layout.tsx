import type { Me, MeCoalition } from "@samakki/shared/auth";
import * as paths from "@samakki/shared/paths";
import { type ReactNode, type RefObject, useEffect, useLayoutEffect, useRef, useState } from "react";
import { Link, useLocation } from "wouter";
import { rememberCoalition } from "../lib/coalition.tsx";
import type { Language } from "../lib/i18n.tsx";
import { useT } from "../lib/i18n.tsx";
import { useLocalName, useOrganisationName } from "../lib/local-name.ts";
import { LanguageSwitcher } from "./LanguageSwitcher.tsx";
import { Brand } from "./PublicLayout.tsx";

const under = (location: string, base: string) => location === base || location.startsWith(`${base}/`);

/** A header tab, current on its own page and the pages under it (and under `also`: the letters are a campaign's). */
function NavLink({ href, children, exact = false, also }: { href: string; children: ReactNode; exact?: boolean; also?: string }) {
  const [location] = useLocation();
  const active = (exact ? location === href : under(location, href)) || (also !== undefined && under(location, also));
  return (
    <Link href={href} className="nav-link" aria-current={active ? "page" : undefined}>
      {children}
    </Link>
  );
}

/**
 * On a phone the tabs scroll sideways: bring the current one to the middle of the strip. Only the strip
 * scrolls (never the page), again once the fonts are in (Khmer glyphs change the widths), and on resize.
 * The strip's scrollbar is hidden, so each end that has more tabs beyond it is marked (`data-more-start`,
 * `data-more-end`) and fades out there (styles.css): the cut tab says "swipe for more".
 */
function useCurrentTabInView(nav: RefObject<HTMLElement | null>, location: string) {
  // Before the strip is painted: scrolled after, its tabs moved under a finger.
  useLayoutEffect(() => {
    const strip = nav.current;
    if (!strip || !location) return;
    const mark = () => {
      const end = strip.scrollWidth - strip.clientWidth;
      strip.toggleAttribute("data-more-start", strip.scrollLeft > 1);
      strip.toggleAttribute("data-more-end", strip.scrollLeft < end - 1);
    };
    const center = () => {
      const current = strip.querySelector<HTMLElement>('[aria-current="page"]');
      if (current && strip.scrollWidth > strip.clientWidth) {
        const left = current.offsetLeft - strip.offsetLeft - (strip.clientWidth - current.offsetWidth) / 2;
        strip.scrollLeft = Math.max(0, left);
      }
      mark();
    };
    center();
    let live = true;
    void document.fonts?.ready.then(() => {
      if (live) center();
    });
    const resized = typeof ResizeObserver === "function" ? new ResizeObserver(center) : null;
    resized?.observe(strip);
    strip.addEventListener("scroll", mark, { passive: true });
    // A tab reached with the keyboard is shown whole, clear of the faded ends (its scroll-padding): the
    // browser scrolls one that is partly shown no further, its end and its focus ring cut by the strip.
    const reveal = (event: FocusEvent) => {
      const tab = event.target;
      if (!(tab instanceof HTMLElement) || tab === strip) return;
      const pad = Number.parseFloat(getComputedStyle(strip).scrollPaddingInlineStart) || 0;
      const left = tab.offsetLeft - strip.offsetLeft;
      const end = left + tab.offsetWidth + pad - strip.clientWidth;
      if (strip.scrollLeft > left - pad) strip.scrollLeft = Math.max(0, left - pad);
      else if (strip.scrollLeft < end) strip.scrollLeft = end;
    };
    strip.addEventListener("focusin", reveal);
    return () => {
      live = false;
      resized?.disconnect();
      strip.removeEventListener("scroll", mark);
      strip.removeEventListener("focusin", reveal);
    };
  }, [nav, location]);
}

/**
 * The sticky header's height, as --topbar-height on the document: styles.css scrolls a focused element
 * clear of the header with it (scroll-padding-top). Measured, since it changes with the layout, the
 * language (Khmer's taller lines) and an opened coalition name.
 */
function useHeaderHeight(header: RefObject<HTMLElement | null>) {
  useLayoutEffect(() => {
    const element = header.current;
    if (!element) return;
    const root = document.documentElement;
    const measure = () => root.style.setProperty("--topbar-height", `${element.offsetHeight}px`);
    measure();
    const resized = typeof ResizeObserver === "function" ? new ResizeObserver(measure) : null;
    resized?.observe(element);
    return () => {
      resized?.disconnect();
      root.style.removeProperty("--topbar-height");
    };
  }, [header]);
}

/**
 * The coalition's name on one line, cut with an ellipsis; a tap (or the tooltip) shows it in full.
 * When it is cut, a chevron after it says that it opens (`data-cut`: measured when the name or its
 * state changes, once the fonts are in, and on resize); a name that fits shows none.
 */
function CoalitionName({ name }: { name: string }) {
  const t = useT();
  const [open, setOpen] = useState(false);
  const [cut, setCut] = useState(false);
  const text = useRef<HTMLSpanElement>(null);
  const [location] = useLocation();
  // Fold it again when the page changes.
  useEffect(() => {
    if (location) setOpen(false);
  }, [location]);
  // Measured before it is painted: a chevron added after moved what follows the name.
  // biome-ignore lint/correctness/useExhaustiveDependencies: another name (a rename, another coalition) is measured again
  useLayoutEffect(() => {
    const element = text.current;
    if (!element) return;
    const measure = () => setCut((was) => (open ? was : element.scrollWidth > element.clientWidth));
    measure();
    // The Khmer face arrives after the first layout and changes the name's width.
    let live = true;
    void document.fonts?.ready.then(() => live && measure());
    window.addEventListener("resize", measure);
    return () => {
      live = false;
      window.removeEventListener("resize", measure);
    };
  }, [open, name]);
  return (
    <button
      type="button"
      className="coalition-name"
      title={name}
      aria-expanded={open}
      aria-description={t("nav.showCoalitionName")}
      data-cut={cut ? "" : undefined}
      onClick={() => setOpen((o) => !o)}
    >
      <span ref={text} className="coalition-name-text">
        {name}
      </span>
    </button>
  );
}

function CoalitionSwitcher({ coalitions, current }: { coalitions: readonly MeCoalition[]; current: MeCoalition | null }) {
  const t = useT();
  const local = useLocalName();
  const [, navigate] = useLocation();
  if (!current) return null;
  if (coalitions.length < 2) return <CoalitionName name={local(current)} />;
  return (
    <label className="coalition-switch">
      <span className="visually-hidden">{t("nav.switchCoalition")}</span>
      <select
        title={local(current)}
        value={current.id}
        onChange={(event) => {
          rememberCoalition(event.target.value);
          navigate(paths.coalition(event.target.value));
        }}
      >
        {coalitions.map((c) => (
          <option key={c.id} value={c.id}>
            {local(c)}
          </option>
        ))}
      </select>
    </label>
  );
}

function AccountMenu({ me, onSignOut, extra }: { me: Me; onSignOut: () => void; extra?: ((close: () => void) => ReactNode) | undefined }) {
  const t = useT();
  const local = useLocalName();
  const ref = useRef<HTMLDetailsElement>(null);
  const [location] = useLocation();
  // Close the menu whenever the page changes.
  useEffect(() => {
    if (ref.current && location) ref.current.open = false;
  }, [location]);
  // And when an item is chosen, even the page already shown (the location then does not change).
  const close = () => {
    if (ref.current) ref.current.open = false;
  };
  // A <details> closes only on its own button: close it too on a tap or click anywhere else (pointerdown:
  // a phone's tap on text sends no click to the document everywhere), and on Escape from inside it,
  // whose focus goes back to the button (else it would be lost in the panel just hidden). An Escape
  // elsewhere is another control's (a list of suggestions under a text box): the focus stays there.
  useEffect(() => {
    const menu = ref.current;
    if (!menu) return;
    const onPointerDown = (event: PointerEvent) => {
      if (menu.open && event.target instanceof Node && !menu.contains(event.target)) menu.open = false;
    };
    const onKeyDown = (event: KeyboardEvent) => {
      if (event.key !== "Escape" || !menu.open || !menu.contains(document.activeElement)) return;
      menu.open = false;
      menu.querySelector("summary")?.focus();
    };
    document.addEventListener("pointerdown", onPointerDown);
    document.addEventListener("keydown", onKeyDown);
    return () => {
      document.removeEventListener("pointerdown", onPointerDown);
      document.removeEventListener("keydown", onKeyDown);
    };
  }, []);
  const initials = me.person.displayName
    .split(/\s+/)
    .filter(Boolean)
    .slice(0, 2)
    .map((w) => w.charAt(0).toUpperCase())
    .join("");
  return (
    <details className="menu" ref={ref}>
      {/* The name starts with the initials shown, so someone who speaks what they see ("click SC") finds it (WCAG 2.5.3). */}
      <summary className="menu-button" aria-label={t("nav.accountMenuOf", { initials: initials || "?", name: me.person.displayName })}>
        <span className="avatar" aria-hidden="true">
          {initials || "?"}
        </span>
      </summary>
      <div className="menu-panel">
        <p className="menu-person">
          <strong>{me.person.displayName}</strong>
          <span>{me.person.email}</span>
        </p>
        <Link href={paths.account()} className="menu-item" onClick={close}>
          {t("nav.account")}
        </Link>
        {me.organisations.map((o) => (
          <Link key={o.id} href={paths.organisation(o.id)} className="menu-item" onClick={close}>
            {local(o)}
          </Link>
        ))}
        {extra?.(close)}
        <button
          type="button"
          className="menu-item menu-signout"
          onClick={() => {
            close();
            onSignOut();
          }}
        >
          {t("nav.signOut")}
        </button>
      </div>
    </details>
  );
}

type LayoutProps = {
  me: Me;
  coalition: MeCoalition | null;
  bell: ReactNode;
  onSignOut: () => void;
  onLanguageChange: (lang: Language) => void;
  /** More links for the account menu (the operator page, for operators). */
  menuExtra?: (close: () => void) => ReactNode;
  children: ReactNode;
};

/** The frame of signed-in pages: coalition switcher, navigation, language, notifications, account. */
export function Layout({ me, coalition, bell, onSignOut, onLanguageChange, menuExtra, children }: LayoutProps) {
  const t = useT();
  const organisationName = useOrganisationName();
  const orgs = coalition?.organisations ?? me.organisations;
  const [location] = useLocation();
  const nav = useRef<HTMLElement>(null);
  useCurrentTabInView(nav, location);
  const header = useRef<HTMLElement>(null);
  useHeaderHeight(header);
  // The offline bar (lib/pwa.tsx) shows times in the coalition's zone.
  useEffect(() => {
    document.documentElement.dataset.timeZone = coalition?.timeZone ?? "";
  }, [coalition]);
  return (
    <div className="shell">
      <a className="skip-link" href="#main">
        {t("nav.skipToContent")}
      </a>
      <header className="topbar topbar-app" ref={header}>
        <div className="topbar-row">
          <Brand />
          <div className="topbar-coalition">
            <CoalitionSwitcher coalitions={me.coalitions} current={coalition} />
          </div>
          <div className="topbar-tools">
            <LanguageSwitcher onChange={onLanguageChange} />
            {bell}
            <AccountMenu me={me} onSignOut={onSignOut} extra={menuExtra} />
          </div>
        </div>
        <nav className="nav" aria-label={t("nav.main")} ref={nav}>
          {coalition ? (
            <>
              <NavLink href={paths.coalition(coalition.id)} exact>
                {t("nav.dashboard")}
              </NavLink>
              <NavLink href={paths.campaigns(coalition.id)} also={paths.letters(coalition.id)}>
                {t("nav.campaigns")}
              </NavLink>
              <NavLink href={paths.tasks(coalition.id)}>{t("nav.tasks")}</NavLink>
              <NavLink href={paths.statements(coalition.id)}>{t("nav.statements")}</NavLink>
              <NavLink href={paths.members(coalition.id)}>{t("nav.members")}</NavLink>
            </>
          ) : null}
          {orgs.map((o) => (
            <NavLink key={o.id} href={paths.organisation(o.id)}>
              {organisationName.short(o)}
            </NavLink>
          ))}
          {coalition?.isCoordinator ? <NavLink href={paths.audit(coalition.id)}>{t("nav.audit")}</NavLink> : null}
        </nav>
      </header>
      <main id="main" className="main" tabIndex={-1}>
        {children}
      </main>
    </div>
  );
}
