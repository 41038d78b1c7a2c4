namespace OneShotGee.Training;
