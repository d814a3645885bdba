/** What other features may use of sign-ups. */
export { ActivitySignups } from "./components/ActivitySignups.tsx";
