// The pre-trained network: from now on we call it the *base*.
const base = await wb.loadModel();
