import { lazyPage } from "../lib/lazy-page.ts";

// Rarely used pages load on demand, keeping the first download small on slow networks.
// Signed-in pages and the invitation too: the first screen (sign-in) carries only its own code.
export const DashboardPage = lazyPage(() => import("../features/dashboard/components/DashboardPage.tsx").then((m) => m.DashboardPage));
export const MembersPage = lazyPage(() => import("../features/coalition-members/components/MembersPage.tsx").then((m) => m.MembersPage));
export const OrganisationPage = lazyPage(() =>
  import("../features/organisations/components/OrganisationPage.tsx").then((m) => m.OrganisationPage),
);
export const AcceptInvitationPage = lazyPage(() =>
  import("../features/invitations/components/AcceptInvitationPage.tsx").then((m) => m.AcceptInvitationPage),
);
export const AuditPage = lazyPage(() => import("../features/audit/components/AuditPage.tsx").then((m) => m.AuditPage));
export const SetupPage = lazyPage(() => import("../features/setup/components/SetupPage.tsx").then((m) => m.SetupPage));
export const AccountPage = lazyPage(() => import("../features/account/components/AccountPage.tsx").then((m) => m.AccountPage));
export const NotificationsPage = lazyPage(() =>
  import("../features/notifications/components/NotificationsPage.tsx").then((m) => m.NotificationsPage),
);
export const ForgotPasswordPage = lazyPage(() =>
  import("../features/auth/components/ForgotPasswordPage.tsx").then((m) => m.ForgotPasswordPage),
);
export const ResetPasswordPage = lazyPage(() =>
  import("../features/auth/components/ResetPasswordPage.tsx").then((m) => m.ResetPasswordPage),
);
export const CampaignsSection = lazyPage(() =>
  import("../features/campaigns/components/CampaignsSection.tsx").then((m) => m.CampaignsSection),
);
export const LettersSection = lazyPage(() => import("../features/letters/components/LettersSection.tsx").then((m) => m.LettersSection));
export const PetitionPage = lazyPage(() => import("../features/petitions/components/PetitionPage.tsx").then((m) => m.PetitionPage));
export const TasksSection = lazyPage(() => import("../features/tasks/components/TasksSection.tsx").then((m) => m.TasksSection));
export const StatementsSection = lazyPage(() =>
  import("../features/statements/components/StatementsSection.tsx").then((m) => m.StatementsSection),
);
export const OperatorPage = lazyPage(() => import("../features/operators/components/OperatorPage.tsx").then((m) => m.OperatorPage));
export const VerifyEmailPage = lazyPage(() => import("../features/auth/components/VerifyEmailPage.tsx").then((m) => m.VerifyEmailPage));
export const UndoEmailChangePage = lazyPage(() =>
  import("../features/auth/components/UndoEmailChangePage.tsx").then((m) => m.UndoEmailChangePage),
);

// The signed-in frame (header, menus, bell, the two-factor gate) is not part of the first screen.
export const LazyShell = lazyPage(() => import("./shell.tsx").then((m) => m.SignedInShell));

/**
 * The catalog areas a section's pages use beyond the rest part (catalog-split.ts, LAZY_AREAS), loaded
 * with the section so the dashboard does not carry them; src/lib/catalogs.test.ts checks that no other
 * page uses them.
 */
export const STATEMENTS_AREAS = ["statements", "votes"] as const;
export const CAMPAIGNS_AREAS = ["petitions", "letters", "signups"] as const;
/** The letters section, and the members page (it shows the MPs letters are sent to). */
export const LETTERS_AREAS = ["letters"] as const;
export const PETITION_AREAS = ["petitions"] as const;
