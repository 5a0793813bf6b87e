// The validation photos the model got wrong, the most confident mistakes first.
wb.showMistakes(ev);
