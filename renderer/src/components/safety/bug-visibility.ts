// Planted bugs are sealed in exercises: a student must find the mistake, so the safety banner names the bug that
// explains a violation only to instructors. Until the instructor mode exists, the banner shows it whenever bugs were
// switched on (which only the Settings tab's instructor section does); this one switch turns that off later.
export function explainingBugVisible(): boolean {
  return true;
}
