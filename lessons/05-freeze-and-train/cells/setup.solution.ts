// Where lesson 4 ended: the pre-trained MobileNet, cut after its 256 pooled features, with a new three-way head.
// The head gets a small L2 penalty (0.01 × the sum of its squared weights joins the loss): with 312 training
// photos and 771 weights, it keeps the head from leaning hard on a few features.
const base = await wb.loadModel();
const model = wb.buildTransferModel(base, { l2: 0.01 });
const cut = model.model.layers.findIndex((layer) => layer.name === model.cutAt);
`${model.model.layers.length} layers: 0–${cut} from MobileNet (up to ${model.cutAt}), then the new head: ${model.model.layers
  .slice(cut + 1)
  .map((l) => l.name)
  .join(' → ')}`;
