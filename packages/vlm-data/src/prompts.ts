/** Human prompts for one view image (`{view}` is replaced by the view name). The first is OpenECAD's own. */
export const SINGLE_VIEW_PROMPTS: readonly string[] = [
  "This image is a view of a 3D model from a certain angle. Please try to use OpenECAD-style API to render this model.",
  "This image shows the {view} view of a CAD part. Write OpenECAD-style code that builds this part.",
  "Here is an orthographic {view} view of a mechanical part. Reconstruct it with OpenECAD-style API calls.",
  "Look at this {view} view of a 3D model and write the OpenECAD-style sketch-and-extrude code that creates it.",
  "The picture is a {view} projection of a CAD model. Please give the OpenECAD-style code for the model.",
];
/** Human prompts for OpenECAD's 2×2 grid of views. The first is OpenECAD's own. */
export const GRID_PROMPTS: readonly string[] = [
  "This image contains 4 views of a 3D model from a certain angle and three orthographic views. Please try to use OpenECAD-style API to render this model.",
  "These are four views of one CAD part. Write OpenECAD-style code that builds it.",
  "The image tiles several views of a mechanical part. Reconstruct the part with OpenECAD-style API calls.",
];
/** The answer's lead-in, as in OpenECAD's data. */
export const ANSWER_PREFIX = "Of course, here are the codes:";
