/**
 * The body that consolidates the reports, as the regime names it: its coordinator unit
 * (regime/regime.ts `coordinatorUnit`), e.g. "Sở Lao động - Thương binh và Xã hội" / "Sở LĐTBXH"
 * for Bắc Kạn. Templates that name it take it as their first argument: only the regime may name
 * it (after the 2025 reorganisation that department no longer exists under that name).
 */
export interface Org {
  /** Full name, in sentences: "Sở Lao động - Thương binh và Xã hội". */
  name: string;
  /** Short name, where the full name has already been read or space is short: "Sở LĐTBXH". */
  shortName: string;
}
