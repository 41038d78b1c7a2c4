namespace OneShotGee.Modeling;
