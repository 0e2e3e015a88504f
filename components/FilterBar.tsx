/** Compatibility: the old item grid takes its input style from here; the list's filters live in activity-list/. */
export { inputClass } from "@/components/activity-list/FilterBar";
