// The pre-trained network, whole: ImageNet's 1000-way classifier included.
const pretrained = await wb.loadModel();
