export const THEME_STORAGE_KEY = "syncwatch-theme";
export type ThemeChoice = "light" | "dark";
