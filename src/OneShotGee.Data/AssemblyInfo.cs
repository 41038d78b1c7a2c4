namespace OneShotGee.Data;
