const model = await wb.loadModel();
