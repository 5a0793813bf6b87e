// The pre-trained MobileNet, and every photo's activations at the end of block 11 (14 × 14 × 256 numbers each),
// computed once. The later freeze points below are computed from these in a moment, without touching a photo again.
const base = await wb.loadModel();
const features = await wb.features('conv_pw_11_relu');
